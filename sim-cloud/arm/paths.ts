import { armErrors } from './errors';

/** A request path parsed as an ARM resource id: the resource's type, name and the scope it lives in. */
export interface ArmPath {
  /** Canonical id (fixed segments in ARM's casing, names as given). */
  id: string;
  /** Full type, for example `Microsoft.KeyVault/vaults/keys`. */
  type: string;
  name: string;
  /** The id of the resource or scope this one sits in ('' for tenant-level resources). */
  parentId: string;
  /** The subscription in the path, if any. */
  subscriptionId?: string;
  resourceGroup?: string;
}

/**
 * Parses `/subscriptions/{s}[/resourceGroups/{g}][/providers/{ns}/{type}/{name}[/{child}/{name}]…]`
 * and tenant-level `/providers/{ns}/{type}/{name}…`, the shapes every ARM resource id takes.
 * Scopes nest: `…/vaults/{v}/providers/Microsoft.Insights/diagnosticSettings/{d}` is an extension
 * resource of the vault.
 */
export function parseArmPath(method: string, path: string): ArmPath {
  const segments = path.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  const fail = () => armErrors.routeNotFound(method, path);
  let index = 0;
  let id = '';
  let parentId = '';
  let type = '';
  let name = '';
  let subscriptionId: string | undefined;
  let resourceGroup: string | undefined;
  const at = (offset: number) => segments[index + offset];

  if (at(0)?.toLowerCase() === 'subscriptions') {
    subscriptionId = at(1);
    if (!subscriptionId) throw fail();
    id = `/subscriptions/${subscriptionId}`;
    type = 'Microsoft.Resources/subscriptions';
    name = subscriptionId;
    index = 2;
    if (at(0)?.toLowerCase() === 'resourcegroups') {
      resourceGroup = at(1);
      if (!resourceGroup) throw fail();
      parentId = id;
      id = `${id}/resourceGroups/${resourceGroup}`;
      type = 'Microsoft.Resources/resourceGroups';
      name = resourceGroup;
      index = 4;
    }
  }
  while (index < segments.length) {
    if (at(0)?.toLowerCase() !== 'providers') throw fail();
    const namespace = at(1);
    const first = at(2);
    const firstName = at(3);
    if (!namespace || !first || firstName === undefined) throw fail();
    parentId = id;
    type = `${namespace}/${first}`;
    name = firstName;
    id = `${id}/providers/${namespace}/${first}/${firstName}`;
    index += 4;
    // Child types (vaults/{v}/keys/{k}) continue the same provider block.
    while (index < segments.length && at(0)?.toLowerCase() !== 'providers') {
      const child = at(0);
      const childName = at(1);
      if (!child || childName === undefined) throw fail();
      parentId = id;
      type = `${type}/${child}`;
      name = childName;
      id = `${id}/${child}/${childName}`;
      index += 2;
    }
  }
  if (!type) throw fail();
  return { id, type, name, parentId, subscriptionId, resourceGroup };
}
