/**
 * The JSON text of objects the API server answers with, each computed at most once: frozen objects (the watch
 * cache's, shared by every watcher and list) remember their encoding, and a write's answer gets the text its stored
 * encoding already holds (see registry/stored-json.ts) instead of being stringified again.
 */
const known = new WeakMap<object, string>();

/** JSON.stringify(o), remembered for frozen objects and for objects given to rememberJson. */
export function objectJson(o: object): string {
  let s = known.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    if (Object.isFrozen(o)) known.set(o, s);
  }
  return s;
}

/** Objects given to rememberJson since the event loop last reached its check phase. */
const recent: object[] = [];
let forgetting = false;

/**
 * Records `json` (which must equal JSON.stringify(o)) as o's encoding until the event loop's next check phase: long
 * enough for the answer being built in this turn, without keeping a copy of the text for as long as some in-process
 * client holds on to the object (a kubelet keeps the pods it wrote). Nobody may change `o` meanwhile.
 */
export function rememberJson(o: object, json: string): void {
  known.set(o, json);
  recent.push(o);
  if (!forgetting) {
    forgetting = true;
    setImmediate(forgetRecent);
  }
}

function forgetRecent(): void {
  forgetting = false;
  for (const o of recent) if (!Object.isFrozen(o)) known.delete(o);
  recent.length = 0;
}
