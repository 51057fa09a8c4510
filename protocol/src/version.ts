// The wire protocol's version, sent in HELLO and WELCOME; read once per connection.
// Bump it in the same commit as any change to PROTOCOL.md's message tables.
export const PROTOCOL_VERSION = 9;
