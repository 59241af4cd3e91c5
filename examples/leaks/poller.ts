/**
 * Two leaks that hold no growing list of your own: a health poller started on every run and never
 * stopped, and a shutdown hook added to `process` on every run. docs/leaks.md runs this module with
 * `-r` and `--fail-on-leak`.
 */
import { TestCase } from 'leakrun';

/** What the pollers saw, by URL. */
const statuses = new Map<string, string>();

/** Starts polling `url` once a minute; the caller is meant to keep the handle and clear it. */
function startPolling(url: string): NodeJS.Timeout {
  return setInterval(() => statuses.set(url, 'up'), 60_000);
}

export class TestService extends TestCase {
  testHealthCheck(): void {
    startPolling('http://localhost:8080/health');
  }

  testShutdownHook(): void {
    process.on('exit', () => statuses.clear());
  }
}
