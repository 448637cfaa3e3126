import { Kind, OperationDefinitionNode } from 'graphql';

/**
 * What the request line of the log says a GraphQL request did: the type and
 * name of each operation (`mutation Login`), or for an anonymous one its root
 * fields (`mutation { login }`), since most hand-written operations have no
 * name. The GraphQL layer notes it on the request once the operation is
 * known; the HTTP logger reads it when the response is written.
 */
const OPERATIONS = Symbol('mutua.graphqlOperations');
/** A batch holds at most GRAPHQL_MAX_BATCH operations; the line stays short whatever happens. */
const MAX_NOTED = 10;
const MAX_ROOT_FIELDS = 5;

interface Noted {
  [OPERATIONS]?: string[];
}

export function describeOperation(
  operation: OperationDefinitionNode | null | undefined,
  operationName: string | null | undefined,
): string | undefined {
  if (operation === null || operation === undefined) return undefined;
  const name = operationName ?? operation.name?.value;
  if (name !== undefined) return `${operation.operation} ${name}`;
  const fields = operation.selectionSet.selections.map((selection) =>
    selection.kind === Kind.FIELD ? selection.name.value : '…',
  );
  const shown = fields.slice(0, MAX_ROOT_FIELDS).join(' ');
  return `${operation.operation} { ${shown}${fields.length > MAX_ROOT_FIELDS ? ' …' : ''} }`;
}

export function noteOperation(req: object | undefined, description: string | undefined): void {
  if (req === undefined || description === undefined) return;
  const noted = req as Noted;
  const list = (noted[OPERATIONS] ??= []);
  if (list.length < MAX_NOTED) list.push(description);
}

/** `mutation Login`, or several joined by commas for a batch; undefined when none was resolved. */
export function notedOperations(req: object | undefined): string | undefined {
  const list = (req as Noted | undefined)?.[OPERATIONS];
  return list === undefined || list.length === 0 ? undefined : list.join(', ');
}
