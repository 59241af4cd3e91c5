/**
 * Makes an installation (a patch, a listener, a hook) shareable by nested runs: the first user
 * installs it, the last one to stop removes it, and stopping twice is harmless.
 */
export function shared(install: () => () => void): () => () => void {
  let users = 0;
  let uninstall: (() => void) | undefined;
  return () => {
    if (users++ === 0) uninstall = install();
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--users > 0) return;
      uninstall?.();
      uninstall = undefined;
    };
  };
}
