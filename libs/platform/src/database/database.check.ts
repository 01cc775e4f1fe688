import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DependencyCheck } from '../observability';

@Injectable()
export class DatabaseCheck implements DependencyCheck {
  readonly name = 'database';

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
