/**
 * Wires chat-ops to FC: replies go through one replier per instance (it caches the Lark tenant
 * token), and the async hand-off is an FC InvokeFunction call on this same function.
 */
import { ChatReplier } from '../../shared/sources/chat/replier';
import type { ChatopsDeps } from '../../shared/sources/chat/service';
import type { Config } from '../../shared/runtime/config';
import { resolveFcEndpoint } from '../../shared/runtime/fc';
import type { FcContext } from '../../shared/runtime/fc';
import { FcInvoker } from '../../shared/clients/fc/invoke';
import type { HttpTransport } from '../../shared/runtime/http';
import type { Logger } from '../../shared/runtime/log';
import type { Invocation, PipelineDeps } from '../../shared/core/pipeline';
import type { RetryPolicy } from '../../shared/runtime/retry';
import type { Clock } from '../../shared/runtime/clock';

export interface ChatopsWiring {
  readonly log: Logger;
  readonly clock: Clock;
  readonly transport?: HttpTransport;
  readonly retryPolicy?: Partial<RetryPolicy>;
}

export function chatopsFactory(config: Config, wiring: ChatopsWiring): (pipeline: PipelineDeps, context: FcContext, invocation: Invocation) => ChatopsDeps {
  const { chatops } = config;
  const optional = {
    ...(wiring.transport ? { transport: wiring.transport } : {}),
    ...(wiring.retryPolicy ? { retryPolicy: wiring.retryPolicy } : {}),
  };
  const replier = new ChatReplier({
    replyHosts: chatops.replyHosts,
    larkApiBase: chatops.larkApiBase,
    larkAppId: chatops.larkAppId,
    larkAppSecret: chatops.larkAppSecret,
    clock: wiring.clock,
    ...optional,
  });
  const invokers = new Map<string, FcInvoker>();
  return (pipeline, context, invocation) => ({
    config: chatops,
    pipeline,
    replier,
    log: pipeline.log,
    invokeSelf: async (event, deadline) => {
      const endpoint = resolveFcEndpoint(config.fcEndpoint, context);
      let invoker = invokers.get(endpoint);
      if (!invoker) {
        invoker = new FcInvoker({ endpoint, clock: wiring.clock, ...optional });
        invokers.set(endpoint, invoker);
      }
      await invoker.invoke(
        { functionName: context.function?.name ?? process.env.FC_FUNCTION_NAME ?? 'create-bandwidth-plan', payload: JSON.stringify(event), async: true },
        { credentials: invocation.credentials(), deadline },
      );
    },
  });
}
