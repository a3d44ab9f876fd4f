// gRPC server reflection (grpc.reflection.v1 and v1alpha) from the generated descriptors, so that
// grpcurl and friends can list and call the services without .proto files.
// @grpc/reflection only reads each package-definition entry's `fileDescriptorProtos` (serialized
// FileDescriptorProto bytes; grpc/grpc-node packages/grpc-reflection/src/implementations/
// reflection-v1.ts), so no proto-loader is needed: protobuf-es already embeds every file's
// descriptor, and its dependencies (well-known types included) are walked here.
import { toBinary } from '@bufbuild/protobuf';
import type { DescFile } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import type { Server } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { lenientServer } from './service-definition.ts';

type PackageDefinition = ConstructorParameters<typeof ReflectionService>[0];

/** Registers reflection for everything declared in `files` (and what they import). */
export function addReflection(server: Server, files: readonly DescFile[]): void {
  const fileDescriptorProtos = [...withDependencies(files)].map((file) => Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto)));
  // One entry holding every file is enough: the reflection service indexes the files, not the
  // entries (whose format and type it never reads).
  const definition: PackageDefinition = {
    'walrus-da': { format: 'Protocol Buffer 3 DescriptorProto', type: {}, fileDescriptorProtos },
  };
  // Undecodable requests are INVALID_ARGUMENT here too, as on every service.
  new ReflectionService(definition).addToServer(lenientServer(server));
}

/** `files` and their transitive imports, each once, imports first. */
function withDependencies(files: readonly DescFile[]): Set<DescFile> {
  const seen = new Set<DescFile>();
  const visit = (file: DescFile): void => {
    if (seen.has(file)) return;
    for (const dependency of file.dependencies) visit(dependency);
    seen.add(file);
  };
  files.forEach(visit);
  return seen;
}
