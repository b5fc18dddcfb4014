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

/** Records `json` (which must equal JSON.stringify(o)) as o's encoding; nobody may change `o` afterwards. */
export function rememberJson(o: object, json: string): void {
  known.set(o, json);
}
