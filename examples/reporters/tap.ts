// A formatter of one's own, for `leakrun --reporter examples/reporters/tap.ts`: the run as TAP.
import type { FormatterFactory } from 'leakrun';

const tap: FormatterFactory = () => {
  let count = 0;
  return {
    write(event) {
      if (event.type === 'test:pass') return `ok ${++count} - ${event.test}\n`;
      if (event.type === 'test:skip') return `ok ${++count} - ${event.test} # SKIP ${event.reason}\n`;
      if (event.type === 'test:fail' || event.type === 'test:error') return `not ok ${++count} - ${event.test}\n`;
      if (event.type === 'run:end') return `1..${count}\n`;
      return '';
    },
  };
};

export default tap;
