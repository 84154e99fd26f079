/** A readable construct id for a name from a definition (construct ids may not contain `/`). */
export function constructId(value: string): string {
  const pascal = value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
  return pascal || 'Unnamed';
}

/** Hands out construct ids from names, suffixing a counter when two names read the same. */
export class UniqueIds {
  private readonly used = new Set<string>();

  next(value: string): string {
    const base = constructId(value);
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}${n}`;
    this.used.add(id);
    return id;
  }
}
