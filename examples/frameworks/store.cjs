// The code under test in the framework examples (docs/frameworks.md): a store of open sessions.
// CommonJS, so that every framework loads it as it is, Jest without its ES module mode included.
'use strict';

class Session {
  constructor(id) {
    this.id = id;
  }
}

class Store {
  open = new Map();
  #next = 0;

  /** Opens a session; it stays in `open` until it is closed. */
  session() {
    const session = new Session(this.#next++);
    this.open.set(session.id, session);
    return session;
  }

  /** Closes a session: the store forgets it. */
  close(session) {
    this.open.delete(session.id);
  }
}

const store = new Store();

/** Opens a session and closes it: nothing is left behind. */
function openAndClose() {
  store.close(store.session());
}

/** Opens a session and forgets to close it: one `Session` stays per call. */
function openAndForget() {
  store.session();
}

module.exports = { Session, Store, store, openAndClose, openAndForget };
