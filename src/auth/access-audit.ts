import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ACCESS_RULE } from '../access/access.decorator';

const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Refuses to start a server in which any Query, Mutation or Subscription has
 * no @Access rule: forgetting one must never mean "open to everyone".
 */
@Injectable()
export class AccessAudit implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onApplicationBootstrap(): void {
    const unguarded = findOperationsWithoutAccessRule(this.discovery, this.scanner);
    if (unguarded.length > 0) {
      throw new Error(`GraphQL operations without an @Access rule: ${unguarded.join(', ')}`);
    }
  }
}

export function findOperationsWithoutAccessRule(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): string[] {
  const missing: string[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | null | undefined;
    if (instance === null || instance === undefined || typeof instance !== 'object') continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[name];
      if (typeof method !== 'function') continue;
      const type: unknown = Reflect.getMetadata(RESOLVER_TYPE_METADATA, method);
      if (
        typeof type === 'string' &&
        ROOT_TYPES.has(type) &&
        Reflect.getMetadata(ACCESS_RULE, method) === undefined
      ) {
        missing.push(`${prototype.constructor.name}.${name}`);
      }
    }
  }
  return missing;
}
