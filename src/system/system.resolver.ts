import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Public } from '../access/access.decorator';
import { version as MUTUA_VERSION } from '../../package.json';

@ObjectType({ description: 'What this Mutua server is.' })
export class ServerInfo {
  @Field({ description: 'Mutua version.' })
  version!: string;

  @Field({ description: 'The server clock, to compare with a client clock.' })
  time!: Date;
}

@Resolver(() => ServerInfo)
export class SystemResolver {
  @Query(() => ServerInfo, { description: 'Version and clock of this server; open to everyone.' })
  @Public()
  serverInfo(): ServerInfo {
    return { version: MUTUA_VERSION, time: new Date() };
  }
}
