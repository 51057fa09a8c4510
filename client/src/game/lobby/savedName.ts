// The name the player last joined with, kept in localStorage so the next visit (or a ?room= link)
// need not ask again. Read once per page load, written once per join. Storage is passed in; a
// browser that refuses it (private mode, quota, disabled) just forgets the name.

/** The localStorage key. */
export const NAME_KEY = 'tickwire.name';

export interface NameStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadName(storage: NameStorage | undefined): string | undefined {
  try {
    return storage?.getItem(NAME_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveName(storage: NameStorage | undefined, name: string): void {
  try {
    storage?.setItem(NAME_KEY, name);
  } catch {
    // Forgetting the name is harmless.
  }
}
