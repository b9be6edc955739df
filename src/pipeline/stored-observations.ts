import type { ItemProblem } from "../detect/index.js";
import type { Observation, ObservationKind } from "../model/index.js";
import type { Store } from "../store/index.js";

/**
 * Every stored observation of a kind (optionally observed since an instant), a page at a
 * time in id order. A stored record that cannot be read is added to `unreadable` as a
 * problem naming its observation id, and the rest go on.
 */
export async function* storedObservations(
  store: Store,
  query: { kind: ObservationKind; since?: string; pageSize: number },
  unreadable: ItemProblem[],
): AsyncGenerator<Observation[]> {
  let after: string | undefined;
  for (;;) {
    const page = await store.readObservations({
      kind: query.kind,
      limit: query.pageSize,
      ...(after === undefined ? {} : { after }),
      ...(query.since === undefined ? {} : { since: query.since }),
    });
    for (const row of page.unreadable) {
      unreadable.push({
        item: `stored ${query.kind} ${row.id}`,
        code: "VIGIL_ERR_STORE_READ",
        message: row.message,
      });
    }
    if (page.observations.length > 0) yield page.observations;
    if (page.rows < query.pageSize || page.last === undefined) return;
    after = page.last;
  }
}
