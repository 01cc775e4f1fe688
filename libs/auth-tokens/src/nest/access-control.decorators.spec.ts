import { Controller, Delete, Get, INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiBearerAuth, ApiOperation, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ACCESS_POLICY_KEY, ALLOWED_ROLES, Access, PUBLIC_ROUTE, Roles } from './access-control.decorators';

@ApiBearerAuth()
@Roles('ADMIN', 'NURSE')
@Controller('wards')
class WardsController {
  @Get()
  @ApiOperation({ summary: 'All wards', description: 'Sorted by name.' })
  list() {}

  @Roles('ADMIN')
  @Delete(':id')
  @ApiOperation({ summary: 'Closes a ward' })
  close() {}

  @Get('count')
  count() {}
}

describe('@Roles', () => {
  let app: INestApplication;
  let paths: Record<string, Record<string, { description?: string; security?: unknown[]; responses: Record<string, unknown> }>>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [WardsController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    paths = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build()).paths as never;
  });

  afterAll(() => app.close());

  it('sets the roles the guard reads, the route overriding the controller', () => {
    expect(Reflect.getMetadata(ALLOWED_ROLES, WardsController)).toEqual(['ADMIN', 'NURSE']);
    expect(Reflect.getMetadata(ALLOWED_ROLES, WardsController.prototype.close)).toEqual(['ADMIN']);
  });

  it('documents the roles at the end of each operation description', () => {
    expect(paths['/wards'].get.description).toBe('Sorted by name.\n\nRoles: ADMIN, NURSE.');
    expect(paths['/wards/{id}'].delete.description).toBe('Roles: ADMIN.');
    expect(paths['/wards/count'].get.description).toBe('Roles: ADMIN, NURSE.');
  });

  it('documents the 401 and 403 answers, with bearer auth listed once', () => {
    for (const operation of [paths['/wards'].get, paths['/wards/{id}'].delete, paths['/wards/count'].get]) {
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(paths['/wards/{id}'].delete.responses['403']).toEqual({ description: "The caller's role is not ADMIN" });
  });
});

@ApiBearerAuth()
@Controller()
class PolicyController {
  @Get('patients/:id')
  @Access('GET /patients/{id}')
  @ApiOperation({ summary: 'One patient', description: 'With its version.' })
  read() {}

  @Post('patients/:id/restore')
  @Access('POST /patients/{id}/restore')
  restore() {}

  @Post('login')
  @Access('POST /login')
  login() {}
}

describe('@Access', () => {
  let paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [PolicyController] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    paths = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build()).paths as never;
    await app.close();
  });

  it("sets the policy's roles and key for the guard and the coverage check", () => {
    expect(Reflect.getMetadata(ALLOWED_ROLES, PolicyController.prototype.read)).toEqual(['ADMIN', 'DOCTOR', 'NURSE', 'BILLING']);
    expect(Reflect.getMetadata(ALLOWED_ROLES, PolicyController.prototype.restore)).toEqual(['ADMIN']);
    expect(Reflect.getMetadata(ACCESS_POLICY_KEY, PolicyController.prototype.restore)).toBe('POST /patients/{id}/restore');
    expect(Reflect.getMetadata(PUBLIC_ROUTE, PolicyController.prototype.read)).toBeUndefined();
  });

  it('makes a public route public, with no roles', () => {
    expect(Reflect.getMetadata(PUBLIC_ROUTE, PolicyController.prototype.login)).toBe(true);
    expect(Reflect.getMetadata(ALLOWED_ROLES, PolicyController.prototype.login)).toBeUndefined();
    expect(Object.keys(paths['/login'].post.responses)).not.toContain('403');
  });

  it('documents the roles and the 401/403 answers as @Roles does', () => {
    expect(paths['/patients/{id}'].get.description).toBe('With its version.\n\nRoles: ADMIN, DOCTOR, NURSE, BILLING.');
    expect(paths['/patients/{id}/restore'].post.description).toBe('Roles: ADMIN.');
    expect(paths['/patients/{id}/restore'].post.responses['403']).toEqual({ description: "The caller's role is not ADMIN" });
    expect(Object.keys(paths['/patients/{id}'].get.responses)).toEqual(expect.arrayContaining(['401', '403']));
  });

  it('refuses, when the controller loads, a route the policy does not name', () => {
    expect(() => Access('GET /wards')).toThrow('No access policy for GET /wards: add it to ACCESS_POLICY');
  });
});
