using System.Reflection;
using Google.Protobuf.Reflection;
using TokenFunctions.WorkerHost.ProtoGen;

// Usage: ProtoGen <output directory>. Writes one .proto per file of the contract (imports included, the protobuf
// well-known types excepted: Grpc.Tools ships those) and rewrites a file only when its text changed, so an unchanged
// contract does not recompile the host.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ProtoGen <output directory>");
    return 2;
}

var roots = new[]
{
    Descriptor("Microsoft.Azure.Functions.Worker.Grpc", "Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection"),
    Descriptor("Microsoft.Azure.Functions.Worker.Extensions.ServiceBus", "Microsoft.Azure.ServiceBus.Grpc.SettlementReflection"),
};

var files = new SortedDictionary<string, FileDescriptor>(StringComparer.Ordinal);
foreach (var root in roots)
{
    Collect(root, files);
}

foreach (var (name, file) in files)
{
    var path = Path.Combine(args[0], name);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    var text = ProtoText.Write(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
    if (!File.Exists(path) || File.ReadAllText(path) != text)
    {
        File.WriteAllText(path, text);
    }

    Console.WriteLine(name);
}

return 0;

// The generated *Reflection classes are internal to their packages; their Descriptor property is the contract.
static FileDescriptor Descriptor(string assemblyName, string typeName) =>
    (FileDescriptor)(Assembly.Load(assemblyName).GetType(typeName, throwOnError: true)!
        .GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!
        .GetValue(null)
        ?? throw new InvalidOperationException($"{typeName}.Descriptor is null."));

static void Collect(FileDescriptor file, SortedDictionary<string, FileDescriptor> files)
{
    if (file.Name.StartsWith("google/protobuf/", StringComparison.Ordinal) || !files.TryAdd(file.Name, file))
    {
        return;
    }

    foreach (var dependency in file.Dependencies)
    {
        Collect(dependency, files);
    }
}
