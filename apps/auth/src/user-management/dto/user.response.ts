import { ApiProperty, PickType } from '@nestjs/swagger';
import { ALL_ROLES, type Role } from '@pm/auth-tokens';
import { responseFields } from '@pm/platform';
import type { User } from '../../users/user.entity';

export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ enum: ALL_ROLES })
  role: Role;

  @ApiProperty({ description: 'A disabled user cannot log in and their tokens do not work' })
  disabled: boolean;

  static from(user: User): UserResponse {
    return responseFields(user, ['id', 'email', 'role', 'disabled']);
  }
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] })
  users: UserResponse[];

  @ApiProperty({ description: 'Counts from 1', example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  size: number;

  @ApiProperty({ example: 5 })
  totalElements: number;
}

/** The caller's own account: UserResponse without `disabled`. */
export class MeResponse extends PickType(UserResponse, ['id', 'email', 'role'] as const) {
  static from(user: User): MeResponse {
    return responseFields(user, ['id', 'email', 'role']);
  }
}
