import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Throttle, ThrottleKind } from '../login-throttle';

export class ThrottleResponse {
  @ApiProperty({
    enum: ['pair', 'address', 'account'],
    description: 'pair: one account from one address is refused; address: one address is refused for every account; account: logins to it are slowed',
  })
  kind: ThrottleKind;

  @ApiProperty({ description: 'Pass it to DELETE /auth/throttles/{key} to lift the throttle', example: 'address:198.51.100.7' })
  key: string;

  @ApiPropertyOptional({ description: 'The account: a user id, or `unknown-<hash>` for an email no user has (the email itself is never stored)' })
  account?: string;

  @ApiPropertyOptional({ description: 'The client address', example: '198.51.100.7' })
  address?: string;

  @ApiProperty({ description: 'Failed logins counted', example: 10 })
  failures: number;

  @ApiProperty({ description: 'pair and address: seconds until logins are accepted again; account: seconds until its failures are forgotten', example: 60 })
  remainingSeconds: number;

  @ApiPropertyOptional({ description: 'account only: seconds each login to it waits before its password is checked', example: 4 })
  delaySeconds?: number;

  static from(throttle: Throttle): ThrottleResponse {
    return { ...throttle };
  }
}

export class ThrottleListResponse {
  @ApiProperty({ type: [ThrottleResponse] })
  throttles: ThrottleResponse[];
}
