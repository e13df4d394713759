/**
 * The chat command grammar: text a person typed → a command. Forgiving where it costs nothing
 * (case, `100Mbps`, `asia-pacific`, an optional leading `bwp`), strict where money is involved
 * (a prepaid period needs its unit). It only builds the request; `validateBandwidthPlan` still
 * judges it, so each rule (bandwidth range, allowed periods) has one definition.
 */
import { AREAS, type Area, type BandwidthPlanInput, CLIENT_TOKEN_PATTERN, PLAN_ID_PATTERN, type PricingCycle } from '../../core/schema';
import { tokenize } from './tokens';

export const COMMAND_USAGE = {
  help: 'help',
  plan: 'plan <Mbit/s> <area> <area> [name=<name>] [desc="<text>"] [prepay [<n> month|year]] [autorenew] [autopay]',
  create: 'create <Mbit/s> <area> <area> [the options of plan]',
  confirm: 'confirm <code>',
  cancel: 'cancel <code>',
  approve: 'approve <code>',
  reject: 'reject <code>',
  status: 'status <cenbwp-id or ClientToken>',
} as const;

export type CommandWord = keyof typeof COMMAND_USAGE;
export type StatusKey = 'plan' | 'intent';

export type Command =
  | { readonly kind: 'help' }
  /** `plan` previews (a dry run); `create` previews and issues a confirmation code. */
  | { readonly kind: 'plan' | 'create'; readonly input: BandwidthPlanInput }
  | { readonly kind: 'confirm'; readonly code: string }
  /** Answers a preview's Cancel button (or the same typed): buys nothing, publishes nothing. */
  | { readonly kind: 'cancel'; readonly code: string }
  /** By one of APPROVERS, of another person's request (README "Approval"). */
  | { readonly kind: 'approve' | 'reject'; readonly code: string }
  /** `by`: whether `id` is the plan's id or the ClientToken of its intent (README "Intent tags"). */
  | { readonly kind: 'status'; readonly id: string; readonly by: StatusKey }
  /** `message` names the argument that was wrong; `usage` is the syntax of `command`, the command tried (if known). */
  | { readonly kind: 'invalid'; readonly message: string; readonly usage: string; readonly command?: CommandWord | undefined };

const ALL_USAGE = Object.values(COMMAND_USAGE).join('\n');
const AREA_LIST = `${AREAS.slice(0, -1).join(', ')} or ${AREAS.at(-1)}`;
const OPTION_LIST = 'name=, desc=, prepay, autorenew or autopay';
/** Words users put before the command because the bot is called that. */
const PREFIXES = new Set(['bwp', '/bwp']);
const BANDWIDTH = /^(\d+)(m|mbps|mbit|mbit\/s)?$/i;
const BANDWIDTH_UNIT = /^(m|mbps|mbit|mbit\/s)$/i;
const PERIOD = /^(\d+)(months?|years?)?$/i;
const PERIOD_UNIT = /^(months?|years?)$/i;

/** `asia-pacific`, `AsiaPacific`, `asia_pacific` → `Asia-Pacific`. */
const AREA_BY_KEY = new Map<string, Area>(AREAS.map((area) => [areaKey(area), area]));
function areaKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, '');
}

/** A user's word inside a message: quoted, and cut short so a paste cannot flood the reply. */
function shown(word: string): string {
  return `'${word.length > 40 ? `${word.slice(0, 40)}…` : word}'`;
}

/** The command word `text` starts with (after an optional `bwp`), if it is one. */
function commandWordOf(text: string): CommandWord | undefined {
  const words = text.trim().split(/\s+/u);
  const first = (PREFIXES.has(words[0]?.toLowerCase() ?? '') ? words[1] : words[0])?.toLowerCase();
  return first !== undefined && Object.hasOwn(COMMAND_USAGE, first) ? (first as CommandWord) : undefined;
}

function invalid(message: string, command?: CommandWord): Command {
  return { kind: 'invalid', message, usage: command ? COMMAND_USAGE[command] : ALL_USAGE, ...(command ? { command } : {}) };
}

export function parseCommand(text: string): Command {
  const tokens = tokenize(text);
  // The words could not be read (a quote left open), but the command they were for still can.
  if (!tokens.ok) return invalid(tokens.message, commandWordOf(text));
  const words = tokens.words[0] !== undefined && PREFIXES.has(tokens.words[0].toLowerCase()) ? tokens.words.slice(1) : tokens.words;
  const [first, ...args] = words;
  const word = first?.toLowerCase();
  switch (word) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'plan':
    case 'create':
      return parsePlan(word, args);
    case 'confirm':
    case 'cancel':
    case 'approve':
    case 'reject':
      return parseCode(word, args);
    case 'status':
      return parseStatus(args);
    default:
      return invalid(`unknown command ${shown(first ?? '')} (use help, plan, create, confirm, cancel, approve, reject or status)`);
  }
}

function parseCode(word: 'confirm' | 'cancel' | 'approve' | 'reject', args: readonly string[]): Command {
  const [code, extra] = args;
  if (code === undefined) return invalid('missing the code (copy it from the preview)', word);
  if (extra !== undefined) return invalid(`unexpected ${shown(extra)} after the code`, word);
  return { kind: word, code };
}

function parseStatus(args: readonly string[]): Command {
  const [given, extra] = args;
  if (given === undefined) return invalid('missing the plan id or ClientToken (e.g. status cenbwp-xxxxxxxx)', 'status');
  if (extra !== undefined) return invalid(`unexpected ${shown(extra)} after the plan id or ClientToken`, 'status');
  // A plan id is matched in any case (CEN's are lower case); anything else is a ClientToken, exactly as typed.
  const id = given.toLowerCase();
  if (PLAN_ID_PATTERN.test(id)) return { kind: 'status', id, by: 'plan' };
  if (CLIENT_TOKEN_PATTERN.test(given)) return { kind: 'status', id: given, by: 'intent' };
  return invalid(
    `${shown(given)} is neither a bandwidth plan id (cenbwp-xxxxxxxx) nor a ClientToken (printable ASCII without commas, at most 64 characters)`,
    'status',
  );
}

/** Reads the words after `plan`/`create` from the front, one argument at a time. */
function parsePlan(kind: 'plan' | 'create', args: readonly string[]): Command {
  const rest = [...args];
  const bandwidthWord = rest.shift();
  if (bandwidthWord === undefined) return invalid(`missing the bandwidth in Mbit/s (e.g. ${kind} 100 China Europe)`, kind);
  const bandwidth = BANDWIDTH.exec(bandwidthWord);
  if (!bandwidth) return invalid(`bandwidth ${shown(bandwidthWord)} is not a number of Mbit/s (e.g. 100 or 100Mbps)`, kind);
  // `100 Mbps`: the unit as a word of its own.
  if (bandwidth[2] === undefined && rest[0] !== undefined && BANDWIDTH_UNIT.test(rest[0])) rest.shift();
  const areas: Area[] = [];
  for (const which of ['first', 'second'] as const) {
    const areaWord = rest.shift();
    if (areaWord === undefined) return invalid(`missing the ${which} area (use ${AREA_LIST})`, kind);
    const area = AREA_BY_KEY.get(areaKey(areaWord));
    if (!area) return invalid(`unknown area ${shown(areaWord)} (use ${AREA_LIST})`, kind);
    areas.push(area);
  }
  const input: BandwidthPlanInput = { Bandwidth: Number(bandwidth[1]), GeographicRegionAId: areas[0]!, GeographicRegionBId: areas[1]! };
  const options = parseOptions(rest);
  if (typeof options === 'string') return invalid(options, kind);
  return { kind, input: { ...input, ...options } };
}

type PlanOptions = Partial<
  Pick<BandwidthPlanInput, 'Name' | 'Description' | 'BandwidthPackageChargeType' | 'Period' | 'PricingCycle' | 'AutoRenew' | 'AutoPay'>
>;

type OptionName = 'name' | 'desc' | 'prepay' | 'autorenew' | 'autopay';
/** Option words (any case) → the option they mean. A Map, so `__proto__` is just an unknown word. */
const OPTIONS = new Map<string, OptionName>([
  ['name', 'name'],
  ['desc', 'desc'],
  ['description', 'desc'],
  ['prepay', 'prepay'],
  ['autorenew', 'autorenew'],
  ['auto-renew', 'autorenew'],
  ['autopay', 'autopay'],
  ['auto-pay', 'autopay'],
]);
const VALUE_EXAMPLES = { name: 'name=my-plan', desc: 'desc="text with spaces"' } as const;

/** The options after the areas, taken from `words`, or a message naming the one that is wrong. */
function parseOptions(words: string[]): PlanOptions | string {
  const options: PlanOptions = {};
  const seen = new Set<string>();
  while (words.length > 0) {
    const word = words.shift()!;
    const equals = word.indexOf('=');
    const option = OPTIONS.get((equals === -1 ? word : word.slice(0, equals)).toLowerCase());
    if (option === undefined) return `unknown option ${shown(word)} (use ${OPTION_LIST})`;
    if (seen.has(option)) return `option ${shown(option)} is given twice`;
    seen.add(option);
    const value = equals === -1 ? undefined : word.slice(equals + 1);
    if (option === 'name' || option === 'desc') {
      if (value === undefined) return `option ${shown(option)} needs a value (e.g. ${VALUE_EXAMPLES[option]})`;
      if (option === 'name') options.Name = value;
      else options.Description = value;
      continue;
    }
    if (value !== undefined) return `option ${shown(option)} takes no value`;
    if (option === 'autorenew') options.AutoRenew = true;
    else if (option === 'autopay') options.AutoPay = true;
    else {
      const period = parsePeriod(words);
      if (typeof period === 'string') return period;
      Object.assign(options, { BandwidthPackageChargeType: 'PREPAY', ...period });
    }
  }
  return options;
}

/**
 * The period after `prepay`, taken from `words`: `<n> month|year`, `<n>month`, `month|year` (one),
 * or nothing (one month). A number without a unit is refused rather than guessed: it is money.
 */
function parsePeriod(words: string[]): Pick<PlanOptions, 'Period' | 'PricingCycle'> | string {
  const next = words[0] ?? '';
  if (PERIOD_UNIT.test(next)) {
    words.shift();
    return { Period: 1, PricingCycle: cycleOf(next) };
  }
  const period = PERIOD.exec(next);
  if (!period) return { Period: 1, PricingCycle: 'Month' };
  words.shift();
  const unit = period[2] ?? (words[0] !== undefined && PERIOD_UNIT.test(words[0]) ? words.shift() : undefined);
  if (unit === undefined) return `prepay period ${shown(period[1]!)} needs a unit (e.g. prepay 3 month or prepay 1 year)`;
  return { Period: Number(period[1]), PricingCycle: cycleOf(unit) };
}

function cycleOf(unit: string): PricingCycle {
  return unit.toLowerCase().startsWith('year') ? 'Year' : 'Month';
}
