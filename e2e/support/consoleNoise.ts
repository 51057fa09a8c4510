// Console lines Chromium writes by itself about the network, not from the page's code: a fetch
// answered with an error status (the matchmaker's 404/409/429/503, which the page shows as text)
// and a WebSocket that could not connect (the lobby's retries while a server is down). Browser tests
// leave these out of their "no console errors" check; checked once per console message.
const NOISE = [
  /^Failed to load resource: the server responded with a status of \d+/,
  /^WebSocket connection to .* failed/,
];

export function browserNetworkNoise(text: string): boolean {
  return NOISE.some((pattern) => pattern.test(text));
}
