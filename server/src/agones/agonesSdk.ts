// The part of the Agones SDK (@google-cloud/agones-sdk) the process uses, and its loader. Loaded once
// per process, and only with --agones: gRPC and protobuf stay out of the memory of a process without it.
import type { AgonesSDK } from '@google-cloud/agones-sdk/src/agonesSDK.js';

/**
 * The SDK's calls we make (agonesSDK.js): each unary call resolves with the sidecar's answer or
 * rejects with a gRPC error; `health` writes one message on the one client-streaming Health call and
 * reports a failed write to `errorCallback` (without a callback the SDK throws, from a gRPC callback,
 * where nothing can catch it).
 */
export interface AgonesSdk {
  /** Waits for the channel to the sidecar (localhost:AGONES_SDK_GRPC_PORT, default 9357), up to 30 s. */
  connect(): Promise<void>;
  ready(): Promise<unknown>;
  allocate(): Promise<unknown>;
  shutdown(): Promise<unknown>;
  health(errorCallback: (error: unknown) => void): void;
  /** The sidecar stores it as the GameServer label `agones.dev/sdk-<key>`. */
  setLabel(key: string, value: string): Promise<unknown>;
  close(): void;
}

// The type checker keeps this interface a part of the package's own declaration.
const _isPartOfTheSdk = (sdk: AgonesSDK): AgonesSdk => sdk;
void _isPartOfTheSdk;

/**
 * A client of the sidecar (the SDK reads AGONES_SDK_GRPC_PORT itself). The package's index.d.ts says
 * `export default`, but its JavaScript is CommonJS `module.exports = AgonesSDK`, so Node's default
 * import is the class itself while the declaration claims a namespace: hence the one cast.
 */
export async function loadAgonesSdk(): Promise<AgonesSdk> {
  const loaded = (await import('@google-cloud/agones-sdk')) as unknown as { default: new () => AgonesSdk };
  return new loaded.default();
}
