import { isObj, list, type Obj, obj } from "./json-access.js";

/** A page's `includes` by the keys tweets reference them with (the first of a key wins). */
export interface Includes {
  usersById: Map<unknown, Obj>;
  usersByName: Map<unknown, Obj>;
  places: Map<unknown, Obj>;
  media: Map<unknown, Obj>;
}

function byKey(items: unknown, key: string): Map<unknown, Obj> {
  const map = new Map<unknown, Obj>();
  for (const item of list(items)) if (isObj(item) && !map.has(item[key])) map.set(item[key], item);
  return map;
}

export function indexIncludes(page: Obj): Includes {
  const includes = obj(page.includes);
  return {
    usersById: byKey(includes?.users, "id"),
    usersByName: byKey(includes?.users, "username"),
    places: byKey(includes?.places, "id"),
    media: byKey(includes?.media, "media_key"),
  };
}

/** The users a tweet's mentions name (by username), as flatten merges them into the mentions. */
export function* mentionedUsers(entities: unknown, inc: Includes): Generator<[Obj, Obj]> {
  for (const m of list(obj(entities)?.mentions)) {
    const user = isObj(m) ? inc.usersByName.get(m.username) : undefined;
    if (user) yield [m as Obj, user];
  }
}
