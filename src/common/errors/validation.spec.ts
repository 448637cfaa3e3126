import { GqlParamtype } from '@nestjs/graphql/dist/enums/gql-paramtype.enum';
import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { createValidationPipe, KeepsNull } from './validation';

@InputType()
class Probe {
  @Field()
  @IsString()
  @MaxLength(3)
  name!: string;
}

@InputType()
class Limits {
  @Field(() => String, { nullable: true })
  @KeepsNull()
  @IsOptional()
  floor?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  memo?: string;
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  // The pipe sees GraphQL parameter kinds as @nestjs/graphql's numbers.
  const as = (type: GqlParamtype) => ({ type: type as unknown as 'custom', metatype: Probe });

  it('checks and copies arguments', async () => {
    const value = { name: 'abc', extra: 1 };
    const checked = (await pipe.transform(value, as(GqlParamtype.ARGS))) as Probe;
    expect(checked).toBeInstanceOf(Probe);
    expect(checked).toEqual({ name: 'abc' });
    await expect(pipe.transform({ name: 'abcd' }, as(GqlParamtype.ARGS))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('refuses text with a NUL character, naming where it is', async () => {
    const args = {
      type: GqlParamtype.ARGS as unknown as 'custom',
      metatype: Object,
      data: 'input',
    };
    await expect(
      pipe.transform({ transfers: [{ memo: 'ok' }, { memo: 'a\u0000b' }] }, args),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'transfers.1.memo' } });
    await expect(
      pipe.transform('x\u0000', { ...args, metatype: String, data: 'reason' }),
    ).rejects.toMatchObject({ details: { field: 'reason' } });
    expect(await pipe.transform({ memo: 'fine' }, args)).toEqual({ memo: 'fine' });
  });

  it("leaves a resolver's parent, context and info alone, as they came", async () => {
    for (const type of [GqlParamtype.ROOT, GqlParamtype.CONTEXT, GqlParamtype.INFO]) {
      const value = { name: 'not checked because not input', extra: 1 };
      expect(await pipe.transform(value, as(type))).toBe(value);
    }
  });

  it('refuses text with a lone surrogate, naming where it is', async () => {
    const args = {
      type: GqlParamtype.ARGS as unknown as 'custom',
      metatype: Object,
      data: 'input',
    };
    for (const text of ['a\uD800@x.org', '\uDC00', 'x\uD83D']) {
      await expect(pipe.transform({ email: text }, args)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { field: 'email' },
      });
    }
    expect(await pipe.transform({ email: 'a\uD83D\uDE00@x.org' }, args)).toEqual({
      email: 'a\uD83D\uDE00@x.org',
    });
  });

  it('reads an explicit null as omitted, unless the field gives null a meaning', async () => {
    const args = { type: 'body' as const, metatype: Limits, data: 'input' };
    const checked = (await pipe.transform({ floor: null, memo: null }, args)) as Limits;
    expect(checked).toBeInstanceOf(Limits);
    expect(checked.memo).toBeUndefined();
    expect(checked.floor).toBeNull();
    const nested = { type: 'body' as const, metatype: Object, data: 'input' };
    expect(await pipe.transform({ a: { b: null, c: [{ d: null, e: 1 }] } }, nested)).toEqual({
      a: { c: [{ e: 1 }] },
    });
  });
});
