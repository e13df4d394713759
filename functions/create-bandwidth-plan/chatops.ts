/**
 * Wires chat-ops to FC: the platforms' adapters and the reply poster live as long as the instance
 * (Lark's adapter caches the tenant token), and the async hand-off is an FC InvokeFunction call on
 * this same function, or on CHATOPS_JOB_FUNCTION when the HTTP trigger lives on a function of its own.
 */
import { FcClient } from '../../shared/clients/fc/client';
import type { Invocation, PipelineDeps } from '../../shared/core/pipeline';
import type { Clock } from '../../shared/runtime/clock';
import type { Config } from '../../shared/runtime/config';
import { type FunctionIdentity, resolveFcEndpoint } from '../../shared/runtime/fc';
import { type HttpTransport, nodeHttpTransport } from '../../shared/runtime/http';
import type { Logger } from '../../shared/runtime/log';
import type { RetryPolicy } from '../../shared/runtime/retry';
import { createChatPlatforms } from '../../shared/sources/chat/platforms';
import { ReplyPoster } from '../../shared/sources/chat/poster';
import type { ChatopsDeps } from '../../shared/sources/chat/service';

export interface ChatopsWiring {
  readonly log: Logger;
  readonly clock: Clock;
  readonly transport?: HttpTransport;
  readonly retryPolicy?: Partial<RetryPolicy>;
}

export function chatopsFactory(
  config: Config,
  wiring: ChatopsWiring,
): (pipeline: PipelineDeps, identity: FunctionIdentity, invocation: Invocation) => ChatopsDeps {
  const { chatops } = config;
  const transport = wiring.transport ?? nodeHttpTransport;
  const poster = new ReplyPoster({ config: chatops, transport, clock: wiring.clock, retryPolicy: wiring.retryPolicy });
  const platforms = createChatPlatforms();
  const invokers = new Map<string, FcClient>();
  return (pipeline, identity, invocation) => ({
    config: chatops,
    approval: config.approval,
    pipeline,
    platforms,
    poster,
    log: pipeline.log,
    invokeSelf: async (event, deadline) => {
      const endpoint = resolveFcEndpoint(config.fcEndpoint, identity);
      let invoker = invokers.get(endpoint);
      if (!invoker) {
        invoker = new FcClient({ endpoint, clock: wiring.clock, transport, ...(wiring.retryPolicy ? { retryPolicy: wiring.retryPolicy } : {}) });
        invokers.set(endpoint, invoker);
      }
      await invoker.invoke(
        { functionName: chatops.jobFunction ?? identity.functionName, payload: JSON.stringify(event), async: true },
        { credentials: invocation.credentials(), deadline },
      );
    },
  });
}
