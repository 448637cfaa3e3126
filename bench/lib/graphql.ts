import { Agent, request } from 'node:http';

/**
 * A minimal GraphQL-over-HTTP client on Node's own `http` module with a
 * keep-alive agent, so that every benchmark request reuses a connection the
 * way a real client pool would. It is also the transport of the load
 * generator, which is why it avoids anything heavier than one JSON parse per
 * response.
 */

export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; reason?: string };
}

export interface GraphQLResponse<Data> {
  data?: Data | null;
  errors?: GraphQLErrorBody[];
}

export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  constructor(
    message: string,
    readonly errors: GraphQLErrorBody[],
  ) {
    super(message);
  }
}

export class GraphQLClient {
  private readonly agent: Agent;

  constructor(
    readonly port: number,
    private token?: string,
    maxSockets = 32,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  withToken(token: string): GraphQLClient {
    return new GraphQLClient(this.port, token);
  }

  /** Sends a prepared JSON body and returns the status and the raw text. */
  post(body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      };
      if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: '/graphql',
          method: 'POST',
          agent: this.agent,
          headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** Runs one operation and returns its data, throwing on any GraphQL error. */
  async execute<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
    const response = await this.executeRaw<Data>(query, variables);
    if (response.errors !== undefined && response.errors.length > 0) {
      const summary = response.errors
        .map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`)
        .join('; ');
      throw new GraphQLRequestError(summary, response.errors);
    }
    if (response.data === undefined || response.data === null) {
      throw new GraphQLRequestError('the response has no data', []);
    }
    return response.data;
  }

  /** Runs one operation and returns the whole response, errors included. */
  async executeRaw<Data>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<Data>> {
    const { status, text } = await this.post(JSON.stringify({ query, variables }));
    try {
      return JSON.parse(text) as GraphQLResponse<Data>;
    } catch {
      throw new GraphQLRequestError(`HTTP ${status}: ${text.slice(0, 300)}`, []);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
