import { runService } from '@pm/platform';
import { AppModule } from './app.module';
import { analyticsConfigSchema } from './config/analytics.config';

runService({ name: 'analytics', schema: analyticsConfigSchema, module: AppModule, openApi: { title: 'Analytics service', description: 'Counts built from the events other services publish' } });
