import { Module } from '@nestjs/common';
import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Public } from '../../src/access/access.decorator';

/**
 * Test-only GraphQL operations that let the foundation specs reach corners
 * the product does not expose on purpose: a resolver with a bug, a recursive
 * type for depth limits, a priced list for the complexity limit, and echoes
 * of the scalars.
 */
@ObjectType()
class ProbeNode {
  @Field(() => Int)
  level!: number;

  @Field(() => ProbeNode)
  child!: ProbeNode;
}

function node(level: number): ProbeNode {
  return {
    level,
    get child() {
      return node(level + 1);
    },
  };
}

@Resolver()
class ProbeResolver {
  @Public()
  @Query(() => String)
  probeBug(): string {
    throw new Error('relation "secret_table" does not exist: SELECT password FROM secret_table');
  }

  @Public()
  @Query(() => ProbeNode)
  probeTree(): ProbeNode {
    return node(0);
  }

  @Public()
  @Query(() => Decimal)
  probeDecimal(@Args('value', { type: () => Decimal }) value: string): string {
    return value;
  }

  @Public()
  @Query(() => Date)
  probeInstant(@Args('at', { type: () => Date }) at: Date): Date {
    return at;
  }

  @Public()
  @Query(() => [ProbeNode], {
    complexity: (options) => Number(options.args.first) * options.childComplexity,
  })
  probeItems(@Args('first', { type: () => Int }) first: number): ProbeNode[] {
    return Array.from({ length: Math.min(first, 3) }, (_, index) => node(index));
  }
}

@Module({ providers: [ProbeResolver] })
export class ProbeModule {}
