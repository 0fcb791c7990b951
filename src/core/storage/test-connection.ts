import { connectionSchema, type Connection } from './schema';

/** A stored connection for tests: every default filled in by the schema itself. */
export function testConnection(fields: Partial<Connection> & Pick<Connection, 'id' | 'url'>): Connection {
  return connectionSchema.parse({ kind: 'openai', name: fields.id, createdAt: 0, updatedAt: 0, ...fields });
}
