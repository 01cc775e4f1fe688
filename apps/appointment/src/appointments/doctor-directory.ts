import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import type { AppointmentConfig } from '../config/appointment.config';
import { DoctorDirectoryUnavailableError } from './appointments.errors';

const LOOKUP_TIMEOUT_MS = 2000;

/**
 * Whether a user id is an active DOCTOR, asked of auth's doctors directory with the booking
 * caller's own access token (auth checks it and the caller's role again).
 */
@Injectable()
export class DoctorDirectory {
  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppointmentConfig, 'AUTH_SERVICE_URL'>) {}

  async isActiveDoctor(doctorId: string, callerAuthorization: string, requestId?: string): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(`${this.config.AUTH_SERVICE_URL}/doctors/${encodeURIComponent(doctorId)}`, {
        headers: { authorization: callerAuthorization, ...(requestId ? { 'x-request-id': requestId } : {}) },
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DoctorDirectoryUnavailableError(`auth did not answer: ${(error as Error).message}`);
    }
    await response.arrayBuffer();
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw new DoctorDirectoryUnavailableError(`auth answered ${response.status}`);
  }
}
