import type { ArmResource } from './store';

/** The built-in "Allowed locations" definition, as Azure publishes it (same id, same rule). */
export const ALLOWED_LOCATIONS_DEFINITION: ArmResource = {
  id: '/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c',
  name: 'e56962a6-4747-49cd-b67b-bf8b01975c4c',
  type: 'Microsoft.Authorization/policyDefinitions',
  properties: {
    displayName: 'Allowed locations',
    policyType: 'BuiltIn',
    mode: 'Indexed',
    parameters: { listOfAllowedLocations: { type: 'Array', metadata: { displayName: 'Allowed locations', strongType: 'location' } } },
    policyRule: {
      if: {
        allOf: [
          { field: 'location', notIn: "[parameters('listOfAllowedLocations')]" },
          { field: 'location', notEquals: 'global' },
          { field: 'type', notEquals: 'Microsoft.AzureActiveDirectory/b2cDirectories' },
        ],
      },
      then: { effect: 'deny' },
    },
  },
};

/** Built-in policy definitions sim-cloud knows, by lower-cased id. */
export const BUILT_IN_DEFINITIONS = new Map([[ALLOWED_LOCATIONS_DEFINITION.id.toLowerCase(), ALLOWED_LOCATIONS_DEFINITION]]);

type Condition = Record<string, unknown>;

/** What a policy rule is evaluated against: the resource as its PUT would make it. */
export interface PolicySubject {
  type: string;
  name: string;
  location?: string;
  properties: Record<string, unknown>;
}

/**
 * Evaluates the part of Azure Policy's rule language that sim-cloud's definitions use
 * (allOf, anyOf, not; field with equals, notEquals, in, notIn, exists; `[parameters('x')]`;
 * `location`, `type`, `name` and property aliases such as `Microsoft.KeyVault/vaults/publicNetworkAccess`).
 * Answers the effect when the rule matches, or undefined.
 */
export function evaluatePolicy(
  definition: ArmResource,
  assignmentParameters: Record<string, { value?: unknown }> | undefined,
  subject: PolicySubject,
): string | undefined {
  const rule = definition.properties.policyRule as { if: Condition; then: { effect: string } } | undefined;
  if (!rule) return undefined;
  const declared = (definition.properties.parameters ?? {}) as Record<string, { defaultValue?: unknown }>;
  const resolve = (value: unknown): unknown => {
    const match = typeof value === 'string' ? /^\[parameters\('([^']+)'\)\]$/.exec(value) : null;
    if (!match?.[1]) return value;
    return assignmentParameters?.[match[1]]?.value ?? declared[match[1]]?.defaultValue;
  };
  const fieldValue = (field: string): unknown => {
    const lower = field.toLowerCase();
    if (lower === 'location') return subject.location;
    if (lower === 'type') return subject.type;
    if (lower === 'name') return subject.name;
    const prefix = `${subject.type.toLowerCase()}/`;
    // An alias of another type does not apply to this resource.
    if (!lower.startsWith(prefix)) return undefined;
    return field
      .slice(prefix.length)
      .split('.')
      .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), subject.properties);
  };
  const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);
  const matches = (condition: Condition): boolean => {
    if (Array.isArray(condition.allOf)) return (condition.allOf as Condition[]).every(matches);
    if (Array.isArray(condition.anyOf)) return (condition.anyOf as Condition[]).some(matches);
    if (condition.not) return !matches(condition.not as Condition);
    const value = fieldValue(String(condition.field));
    // A field the resource does not have fails every comparison but `exists: false`.
    if ('exists' in condition) return (value !== undefined) === (String(resolve(condition.exists)) === 'true');
    if (value === undefined) return false;
    if ('equals' in condition) return same(value, resolve(condition.equals));
    if ('notEquals' in condition) return !same(value, resolve(condition.notEquals));
    if ('in' in condition) return ((resolve(condition.in) as unknown[]) ?? []).some((item) => same(value, item));
    if ('notIn' in condition) return !((resolve(condition.notIn) as unknown[]) ?? []).some((item) => same(value, item));
    return false;
  };
  return matches(rule.if) ? String(resolve(rule.then.effect)) : undefined;
}
