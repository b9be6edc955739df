import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { openStore, type Store } from "../../src/index.js";

export interface TempStores {
  /** The folder; empty until the file's tests start. */
  readonly dir: string;
  /** A new, empty SQLite store in the folder, closed after the test. */
  fresh(): Promise<Store>;
  /** Has `store` closed after the test, as the stores of `fresh()` are. */
  closeAfterTest(store: Store): Store;
}

/**
 * A temporary folder for one test file's stores: made before its tests, removed after
 * them, and each store opened through it closed after the test that opened it. Call at
 * the top level of the test file (it registers hooks).
 */
export function useTempStores(prefix: string): TempStores {
  let dir = "";
  let count = 0;
  const open: Store[] = [];
  const closeAfterTest = (store: Store): Store => {
    open.push(store);
    return store;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    fresh: async () => {
      count += 1;
      return closeAfterTest(await openStore({ path: join(dir, `store-${count}.db`) }));
    },
    closeAfterTest,
  };
}
