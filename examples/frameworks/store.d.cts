// The types of store.cjs, for the TypeScript examples.
export declare class Session {
  constructor(id: number);
  readonly id: number;
}
export declare class Store {
  readonly open: Map<number, Session>;
  session(): Session;
  close(session: Session): void;
}
export declare const store: Store;
export declare function openAndClose(): void;
export declare function openAndForget(): void;
