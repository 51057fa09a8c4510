// Test helper: a fake Agones SDK sidecar, one per test or test file: the package's own service
// definition (lib/sdk_grpc_pb.js, `agones.dev.sdk.SDK`) served by @grpc/grpc-js on a free loopback
// port, recording every call in the order it arrived.
import { createRequire } from 'node:module';
import {
  Server,
  ServerCredentials,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

const require = createRequire(import.meta.url);
/** The generated service: method name → path, streaming flags, (de)serializers. */
const services = require('@google-cloud/agones-sdk/lib/sdk_grpc_pb.js') as Record<string, ServiceDefinition>;
/** The generated messages: answers must be instances of this module's classes (the serializers check). */
const messages = require('@google-cloud/agones-sdk/lib/sdk_pb.js') as {
  Empty: new () => object;
};
const SDK_SERVICE = services['agones.dev.sdk.SDK']!;

interface KeyValue {
  getKey(): string;
  getValue(): string;
}

/** One call as the sidecar saw it: the RPC's name, and key/value for SetLabel. */
export interface SdkCall {
  name: 'Ready' | 'Allocate' | 'Shutdown' | 'Health' | 'SetLabel';
  key?: string;
  value?: string;
}

export class FakeAgonesSdkServer {
  /** Every call, in arrival order; each Health message on the stream counts as one. */
  readonly calls: SdkCall[] = [];
  /** While true every unary call and every Health stream is answered UNAVAILABLE. */
  refusing = false;
  /** The loopback port it listens on (127.0.0.1). */
  port = 0;
  private readonly server = new Server();

  static async start(): Promise<FakeAgonesSdkServer> {
    const fake = new FakeAgonesSdkServer();
    fake.server.addService(SDK_SERVICE, fake.handlers());
    fake.port = await new Promise<number>((resolve, reject) => {
      fake.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    return fake;
  }

  private handlers(): UntypedServiceImplementation {
    const refusal = { code: status.UNAVAILABLE, details: 'the fake sidecar refuses' };
    const unary =
      (name: SdkCall['name']) =>
      (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
        if (this.refusing) return callback(refusal);
        const request = call.request as Partial<KeyValue>;
        this.calls.push(
          name === 'SetLabel' ? { name, key: request.getKey?.(), value: request.getValue?.() } : { name },
        );
        callback(null, new messages.Empty());
      };
    return {
      ready: unary('Ready'),
      allocate: unary('Allocate'),
      shutdown: unary('Shutdown'),
      setLabel: unary('SetLabel'),
      // Client-streaming: one Empty per ping; answered once the client ends the stream.
      health: (call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        if (this.refusing) return callback(refusal);
        call.on('data', () => {
          if (!this.refusing) this.calls.push({ name: 'Health' });
        });
        call.on('end', () => callback(null, new messages.Empty()));
        call.on('error', () => {});
      },
      getGameServer: (_call: unknown, callback: sendUnaryData<unknown>) =>
        callback({ code: status.UNIMPLEMENTED, details: 'not faked' }),
    };
  }

  /** The names of the calls so far, in order. */
  names(): SdkCall['name'][] {
    return this.calls.map((call) => call.name);
  }

  /** The values SetLabel set for `key`, in order. */
  labels(key: string): string[] {
    return this.calls.filter((call) => call.name === 'SetLabel' && call.key === key).map((call) => call.value!);
  }

  /** Stop at once, cutting every open call (the sidecar dies). */
  kill(): void {
    this.server.forceShutdown();
  }
}
