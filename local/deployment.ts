/**
 * What a Serverless Devs template (`s.yaml`, `deploy/s.two-functions.yaml`) deploys: each function's
 * name, triggers and literal variables. The local run starts those functions and triggers on the FC
 * double, and `npm run smoke` compares the deployed triggers with them, so both follow the template
 * the user deploys rather than a copy of it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** A trigger as FC's ListTriggers answers it: `triggerConfig` is a JSON string there. */
export interface DeployedTrigger {
  readonly triggerName: string;
  readonly triggerType: string;
  readonly triggerConfig: string;
}

export interface DeployedFunction {
  readonly name: string;
  readonly triggers: readonly DeployedTrigger[];
  /** Its variables, as rendered with the deploying shell's values. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface Deployment {
  readonly functions: readonly DeployedFunction[];
  /** The function with the HTTP trigger: the one users and chat platforms call. */
  readonly http: DeployedFunction;
  /** Where confirmed chat purchases run: CHATOPS_JOB_FUNCTION of the HTTP function, else the HTTP function. */
  readonly jobs: DeployedFunction;
}

const TemplateSchema = z.object({
  resources: z.record(
    z.string(),
    z.object({
      component: z.string(),
      props: z.object({
        functionName: z.string(),
        environmentVariables: z.optional(z.record(z.string(), z.string())),
        triggers: z.optional(
          z.array(z.object({ triggerName: z.string(), triggerType: z.string(), triggerConfig: z.optional(z.record(z.string(), z.unknown())) })),
        ),
      }),
    }),
  ),
});

type Shell = Readonly<Record<string, string | undefined>>;
type Yaml = unknown;

/**
 * Renders a template as Serverless Devs 3 does for what these templates use: `extend` (objects merge
 * deeply, lists are replaced), `${vars.x}` (a whole value, or inside text) and `${env('X', 'default')}`.
 * Written here rather than running `s preview`, which writes the rendered secrets to its log under
 * ~/.s; test/local/deploy.test.ts checks the two agree on every template in the repository.
 */
export function renderTemplate(path: string, shell: Shell = {}): Record<string, unknown> {
  const { extend: _parent, ...template } = templateSource(path);
  return substitute(template, (template.vars ?? {}) as Record<string, Yaml>, shell, 0) as Record<string, unknown>;
}

/** A template merged over the ones it extends, unrendered: a parent's variables are the child's to override. */
function templateSource(path: string): Record<string, Yaml> {
  const own = parse(readFileSync(path, 'utf8')) as Record<string, Yaml>;
  return typeof own.extend === 'string' ? mergeDeep(templateSource(resolvePath(dirname(path), own.extend)), own) : own;
}

const isObject = (value: Yaml): value is Record<string, Yaml> => typeof value === 'object' && value !== null && !Array.isArray(value);

function mergeDeep(base: Record<string, Yaml>, over: Record<string, Yaml>): Record<string, Yaml> {
  const result: Record<string, Yaml> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    result[key] = isObject(current) && isObject(value) ? mergeDeep(current, value) : value;
  }
  return result;
}

const WHOLE_VAR = /^\$\{\s*vars\.([A-Za-z0-9_]+)\s*\}$/;
const INLINE = /\$\{\s*(?:vars\.([A-Za-z0-9_]+)|env\(\s*'([^']*)'\s*(?:,\s*'([^']*)'\s*)?\))\s*\}/g;
/** Variables may refer to variables; deeper than this is a loop. */
const MAX_DEPTH = 8;

function substitute(value: Yaml, vars: Readonly<Record<string, Yaml>>, shell: Shell, depth: number): Yaml {
  if (depth > MAX_DEPTH) throw new Error('template variables refer to each other in a loop');
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars, shell, depth));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, vars, shell, depth)]));
  if (typeof value !== 'string') return value;
  const whole = WHOLE_VAR.exec(value);
  if (whole) return substitute(vars[whole[1]!], vars, shell, depth + 1);
  return value.replace(INLINE, (text, name: string | undefined, envName: string | undefined, fallback: string | undefined) =>
    name !== undefined ? String(substitute(vars[name] ?? text, vars, shell, depth + 1)) : (shell[envName!] ?? fallback ?? ''),
  );
}

/** The functions a template deploys, rendered with `shell` as the deploying shell's variables. */
export function readDeployment(path: string, shell: Shell = {}): Deployment {
  let template: z.infer<typeof TemplateSchema>;
  try {
    template = TemplateSchema.parse(renderTemplate(path, shell));
  } catch (error) {
    throw new Error(`${path} is not a Serverless Devs template this tool understands`, { cause: error });
  }
  const functions = Object.values(template.resources)
    .filter((resource) => resource.component === 'fc3')
    .map(
      ({ props }): DeployedFunction => ({
        name: props.functionName,
        environment: props.environmentVariables ?? {},
        triggers: (props.triggers ?? []).map((trigger) => ({
          triggerName: trigger.triggerName,
          triggerType: trigger.triggerType,
          triggerConfig: JSON.stringify(trigger.triggerConfig ?? {}),
        })),
      }),
    );
  const http = functions.find((fn) => fn.triggers.some((trigger) => trigger.triggerType === 'http'));
  if (!http) throw new Error(`${path} deploys no function with an HTTP trigger`);
  const jobName = http.environment.CHATOPS_JOB_FUNCTION?.trim() || http.name;
  const jobs = functions.find((fn) => fn.name === jobName);
  if (!jobs) throw new Error(`${path}: CHATOPS_JOB_FUNCTION of ${http.name} names ${jobName}, which the template does not deploy`);
  return { functions, http, jobs };
}
