import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TokenRevocationList } from '../token-revocation-list';

/**
 * Keeps the app's TokenRevocationList's local copy current from start to shutdown, for apps that
 * make the list themselves (the gateway, auth) rather than through AuthTokensModule.
 */
@Injectable()
export class RevocationListFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly revocations: TokenRevocationList) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.revocations.follow();
  }

  onApplicationShutdown(): void {
    this.revocations.stopFollowing();
  }
}
