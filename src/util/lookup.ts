/**
 * Looking a user-given name up in a table. `table[name]` and `name in table` also find what every object inherits
 * from Object.prototype (`constructor`, `toString`, `__proto__`), so a name like `--expression constructor` would
 * "exist" and then crash far from the input. Every name lookup goes through these, which see own entries only.
 */

/** Whether `name` is one of the table's own keys (never an inherited one). */
export function hasOwnName(table: object, name: string): boolean {
  return Object.hasOwn(table, name);
}

/** The table's own entry for `name`, or undefined (also for inherited names such as "constructor"). */
export function ownEntry<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
