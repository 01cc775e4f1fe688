import { ApiProperty } from '@nestjs/swagger';

export class PublicJwkResponse {
  @ApiProperty({ example: 'EC' })
  kty: string;

  @ApiProperty({ example: 'P-256' })
  crv: string;

  @ApiProperty({ description: 'Base64url x coordinate' })
  x: string;

  @ApiProperty({ description: 'Base64url y coordinate' })
  y: string;

  @ApiProperty({ description: 'Key id, matched against the token header kid' })
  kid: string;

  @ApiProperty({ example: 'ES256' })
  alg: string;

  @ApiProperty({ example: 'sig' })
  use: string;
}

export class JwksResponse {
  @ApiProperty({ type: [PublicJwkResponse] })
  keys: PublicJwkResponse[];
}
