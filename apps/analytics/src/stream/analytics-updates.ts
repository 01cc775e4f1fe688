import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

/** What changed, pushed to live dashboards after the change committed; never patient data. */
export type AnalyticsUpdate =
  | { type: 'patients'; day: string; eventType: string; total: number }
  | { type: 'appointments'; day: string; status: string; previous: { day: string; status: string } | null }
  | { type: 'revenue'; day: string; currency: string; eventType: string; amountMinor: number };

/** The in-process feed of applied events; services emit after commit, the stream route listens. */
@Injectable()
export class AnalyticsUpdates {
  private readonly subject = new Subject<AnalyticsUpdate>();

  emit(update: AnalyticsUpdate): void {
    this.subject.next(update);
  }

  get updates(): Observable<AnalyticsUpdate> {
    return this.subject.asObservable();
  }
}
