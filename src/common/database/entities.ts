/**
 * Every TypeORM entity of Mutua. Listed by hand rather than found by a glob so
 * that the same list works compiled, under ts-node and under jest, and so that
 * the entities-versus-migrations test sees them all.
 */
export type EntityClass = abstract new (...args: never[]) => object;

export const ENTITIES: EntityClass[] = [];
