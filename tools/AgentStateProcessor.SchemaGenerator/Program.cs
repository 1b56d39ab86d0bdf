using AgentStateProcessor.Schemas.Generation;

// Rewrites schemas/events/**/*.avsc from schemas/tables/**/*.json (the extensions/ folder of one makes the extensions/
// folder of the other) and deletes schema files no table describes.
//   dotnet run --project tools/AgentStateProcessor.SchemaGenerator [-- [--check] [repository-root]]
// --check changes nothing and exits 1 when the committed schemas differ from what the tables generate.

var check = args.Contains("--check");
var rootArgument = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
// Builds may put the tool outside the tree (--artifacts-path), so its own source path is the last resort.
var root = rootArgument
    ?? FindRepositoryRoot(Environment.CurrentDirectory)
    ?? FindRepositoryRoot(AppContext.BaseDirectory)
    ?? FindRepositoryRoot(SourceDirectory());
if (root is null)
{
    Console.Error.WriteLine("Cannot find the repository root (the folder holding AgentStateProcessor.sln); pass it as an argument.");
    return 2;
}

var tablesDirectory = Path.Combine(root, "schemas", "tables");
var eventsDirectory = Path.Combine(root, "schemas", "events");
var generated = EventSchemaGenerator.GenerateFromDirectory(tablesDirectory);
Directory.CreateDirectory(eventsDirectory);

var changes = 0;
foreach (var (relativePath, text) in generated)
{
    var path = Path.Combine(eventsDirectory, relativePath);
    if (File.Exists(path) && File.ReadAllText(path) == text) continue;
    changes++;
    Console.WriteLine($"{(check ? "differs" : "writes")} {Path.GetRelativePath(root, path)}");
    if (check) continue;
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, text);
}
foreach (var path in Directory.GetFiles(eventsDirectory, "*.avsc", SearchOption.AllDirectories)
    .Where(p => !generated.ContainsKey(Path.GetRelativePath(eventsDirectory, p).Replace('\\', '/'))))
{
    changes++;
    Console.WriteLine($"{(check ? "stale" : "deletes")} {Path.GetRelativePath(root, path)}");
    if (!check) File.Delete(path);
}

Console.WriteLine($"{generated.Count} event schemas from {tablesDirectory}; {changes} {(check ? "out of date" : "changed")}.");
return check && changes > 0 ? 1 : 0;

static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "") =>
    Path.GetDirectoryName(sourceFile) ?? "";

static string? FindRepositoryRoot(string start)
{
    for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "AgentStateProcessor.sln"))) return directory.FullName;
    }
    return null;
}
