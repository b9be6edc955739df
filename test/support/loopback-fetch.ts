/**
 * A `fetch` that reaches 127.0.0.1 and nothing else: tests hand it to clients so that a
 * bug sending a request elsewhere fails the test instead of touching the network.
 */
export const loopbackFetch: typeof fetch = (input, init) => {
  const raw = input instanceof Request ? input.url : String(input);
  const { hostname } = new URL(raw);
  if (hostname !== "127.0.0.1" && hostname !== "localhost" && hostname !== "[::1]") {
    return Promise.reject(new Error(`test fetch refused ${raw}: tests reach loopback only`));
  }
  return fetch(input, init);
};
