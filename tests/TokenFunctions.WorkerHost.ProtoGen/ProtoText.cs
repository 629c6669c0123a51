using System.Globalization;
using System.Text;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using Label = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;

namespace TokenFunctions.WorkerHost.ProtoGen;

/// <summary>
/// Writes a <see cref="FileDescriptorProto"/> back as proto3 source: what Grpc.Tools needs to compile the server side.
/// The wire contract (package, message, field numbers and types, services) is kept exactly; <c>csharp_namespace</c> is
/// replaced so the host's generated classes never collide with the worker's own (internal) ones, and json_name and
/// other-language options are left out because the gRPC binary wire does not use them.
/// </summary>
internal static class ProtoText
{
    public const string CSharpNamespace = "TokenFunctions.WorkerHost.Protocol";

    public static string Write(FileDescriptorProto file)
    {
        if (file.Syntax != "proto3")
        {
            throw new NotSupportedException($"{file.Name}: syntax '{file.Syntax}' (only proto3 is written).");
        }

        var w = new StringBuilder();
        w.AppendLine(CultureInfo.InvariantCulture, $"// {file.Name}: printed at build time by TokenFunctions.WorkerHost.ProtoGen from the descriptor in the worker's package. Do not edit.");
        w.AppendLine("syntax = \"proto3\";");
        w.AppendLine();
        if (file.Package.Length > 0)
        {
            w.AppendLine(CultureInfo.InvariantCulture, $"package {file.Package};");
            w.AppendLine();
        }

        foreach (var dependency in file.Dependency)
        {
            w.AppendLine(CultureInfo.InvariantCulture, $"import \"{dependency}\";");
        }

        w.AppendLine(CultureInfo.InvariantCulture, $"option csharp_namespace = \"{CSharpNamespace}\";");
        foreach (var service in file.Service)
        {
            WriteService(w, service);
        }

        foreach (var message in file.MessageType)
        {
            WriteMessage(w, message, 0);
        }

        foreach (var enumType in file.EnumType)
        {
            WriteEnum(w, enumType, 0);
        }

        return w.ToString();
    }

    private static void WriteService(StringBuilder w, ServiceDescriptorProto service)
    {
        w.AppendLine();
        w.AppendLine(CultureInfo.InvariantCulture, $"service {service.Name} {{");
        foreach (var method in service.Method)
        {
            var input = (method.ClientStreaming ? "stream " : string.Empty) + method.InputType;
            var output = (method.ServerStreaming ? "stream " : string.Empty) + method.OutputType;
            w.AppendLine(CultureInfo.InvariantCulture, $"  rpc {method.Name} ({input}) returns ({output});");
        }

        w.AppendLine("}");
    }

    private static void WriteMessage(StringBuilder w, DescriptorProto message, int depth)
    {
        var indent = new string(' ', depth * 2);
        w.AppendLine();
        w.AppendLine(CultureInfo.InvariantCulture, $"{indent}message {message.Name} {{");
        var writtenOneofs = new HashSet<int>();
        foreach (var field in message.Field)
        {
            if (field.HasOneofIndex && !field.Proto3Optional)
            {
                if (writtenOneofs.Add(field.OneofIndex))
                {
                    w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  oneof {message.OneofDecl[field.OneofIndex].Name} {{");
                    foreach (var member in message.Field.Where(f => f.HasOneofIndex && f.OneofIndex == field.OneofIndex))
                    {
                        w.AppendLine(CultureInfo.InvariantCulture, $"{indent}    {FieldLine(message, member)}");
                    }

                    w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  }}");
                }

                continue;
            }

            w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  {FieldLine(message, field)}");
        }

        foreach (var range in message.ReservedRange)
        {
            w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  reserved {Range(range.Start, range.End - 1)};");
        }

        if (message.ReservedName.Count > 0)
        {
            w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  reserved {string.Join(", ", message.ReservedName.Select(n => $"\"{n}\""))};");
        }

        foreach (var nested in message.NestedType.Where(n => n.Options?.MapEntry != true))
        {
            WriteMessage(w, nested, depth + 1);
        }

        foreach (var enumType in message.EnumType)
        {
            WriteEnum(w, enumType, depth + 1);
        }

        w.AppendLine(CultureInfo.InvariantCulture, $"{indent}}}");
    }

    private static string FieldLine(DescriptorProto owner, FieldDescriptorProto field)
    {
        if (field.Extendee.Length > 0 || field.HasDefaultValue)
        {
            throw new NotSupportedException($"{owner.Name}.{field.Name}: extensions and default values are not proto3.");
        }

        string type;
        var mapEntry = field.Label == Label.Repeated && field.Type == FieldType.Message
            ? owner.NestedType.FirstOrDefault(n => n.Options?.MapEntry == true && field.TypeName.EndsWith("." + n.Name, StringComparison.Ordinal))
            : null;
        if (mapEntry is not null)
        {
            type = $"map<{TypeName(mapEntry.Field[0])}, {TypeName(mapEntry.Field[1])}>";
        }
        else
        {
            var label = field.Label == Label.Repeated ? "repeated " : field.Proto3Optional ? "optional " : string.Empty;
            type = label + TypeName(field);
        }

        var options = new List<string>();
        if (field.Options?.Deprecated == true)
        {
            options.Add("deprecated = true");
        }

        if (field.Options?.HasPacked == true)
        {
            options.Add("packed = " + (field.Options.Packed ? "true" : "false"));
        }

        var suffix = options.Count > 0 ? $" [{string.Join(", ", options)}]" : string.Empty;
        return $"{type} {field.Name} = {field.Number.ToString(CultureInfo.InvariantCulture)}{suffix};";
    }

    private static string TypeName(FieldDescriptorProto field) => field.Type switch
    {
        FieldType.Double => "double",
        FieldType.Float => "float",
        FieldType.Int64 => "int64",
        FieldType.Uint64 => "uint64",
        FieldType.Int32 => "int32",
        FieldType.Fixed64 => "fixed64",
        FieldType.Fixed32 => "fixed32",
        FieldType.Bool => "bool",
        FieldType.String => "string",
        FieldType.Bytes => "bytes",
        FieldType.Uint32 => "uint32",
        FieldType.Sfixed32 => "sfixed32",
        FieldType.Sfixed64 => "sfixed64",
        FieldType.Sint32 => "sint32",
        FieldType.Sint64 => "sint64",

        // Fully qualified (leading dot) as the descriptor stores it: valid proto syntax, no scope guessing.
        FieldType.Message or FieldType.Enum => field.TypeName,
        _ => throw new NotSupportedException($"{field.Name}: field type {field.Type}."),
    };

    private static void WriteEnum(StringBuilder w, EnumDescriptorProto enumType, int depth)
    {
        var indent = new string(' ', depth * 2);
        w.AppendLine();
        w.AppendLine(CultureInfo.InvariantCulture, $"{indent}enum {enumType.Name} {{");
        if (enumType.Options?.AllowAlias == true)
        {
            w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  option allow_alias = true;");
        }

        foreach (var value in enumType.Value)
        {
            var deprecated = value.Options?.Deprecated == true ? " [deprecated = true]" : string.Empty;
            w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  {value.Name} = {value.Number.ToString(CultureInfo.InvariantCulture)}{deprecated};");
        }

        foreach (var range in enumType.ReservedRange)
        {
            // Enum reserved ranges are inclusive at both ends, unlike message ranges.
            w.AppendLine(CultureInfo.InvariantCulture, $"{indent}  reserved {Range(range.Start, range.End)};");
        }

        w.AppendLine(CultureInfo.InvariantCulture, $"{indent}}}");
    }

    private static string Range(int first, int last) => first == last
        ? first.ToString(CultureInfo.InvariantCulture)
        : $"{first.ToString(CultureInfo.InvariantCulture)} to {(last >= 536870911 ? "max" : last.ToString(CultureInfo.InvariantCulture))}";
}
