using System.Runtime.InteropServices;

namespace AgentStateProcessor.Kafka;

/// <summary>The librdkafka this process runs on: its version, the file it was loaded from, and its built-in features.</summary>
internal sealed record LoadedLibrdkafka(string Version, string Path, IReadOnlyList<string> Features);

/// <summary>
/// Loads librdkafka from the files of the librdkafka.redist package and binds every P/Invoke into
/// librdkafka to that one file: Confluent.Kafka's and our own (<see cref="LibrdkafkaMockNativeMethods"/>),
/// so the clients and the mock cluster run on the same library.
/// </summary>
/// <remarks>
/// Left to itself, .NET tries the package's default Linux build, which is linked against
/// <c>libsasl2.so.3</c> (RHEL family). Debian and Ubuntu ship <c>libsasl2.so.2</c>, so that load fails
/// and .NET quietly binds whatever librdkafka the system has installed, of whatever version. Here the
/// package's builds are tried by full path, in order, and a system librdkafka is never bound:
/// <list type="bullet">
/// <item><c>librdkafka.so</c> (Linux), <c>.dylib</c> (macOS), <c>.dll</c> (Windows): the package's default
/// build; on Linux x64 it needs libsasl2.so.3 and offers GSSAPI (Kerberos).</item>
/// <item><c>centos8-librdkafka.so</c> (Linux x64): needs only glibc 2.28 or later (Debian 10+, Ubuntu 20.04+);
/// no GSSAPI.</item>
/// <item><c>alpine-librdkafka.so</c> (Linux x64 and arm64): for musl systems such as Alpine.</item>
/// </list>
/// Each is looked for in the build output layout (<c>runtimes/&lt;rid&gt;/native/</c> under the application
/// directory) and in a RID-specific publish layout (beside the application). Call <see cref="Load"/>
/// before any Kafka client is built: a P/Invoke bound before the resolver is in place stays bound.
/// </remarks>
internal static class BundledLibrdkafka
{
    private static readonly string[] LinuxBuilds = ["librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so"];

    // The DllImport names Confluent.Kafka's native method tables use, and ours.
    private static readonly HashSet<string> ImportNames = ["librdkafka", "centos8-librdkafka", "alpine-librdkafka"];

    private static readonly Lazy<(LoadedLibrdkafka? Loaded, LibrdkafkaUnavailableException? Failure)> State =
        new(LoadAndBind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Loads the bundled librdkafka once per process and binds Confluent.Kafka and our mock-cluster calls to it.
    /// </summary>
    /// <exception cref="LibrdkafkaUnavailableException">No build of the package loads on this system.</exception>
    public static LoadedLibrdkafka Load() => State.Value.Loaded ?? throw State.Value.Failure!;

    /// <summary>The files to try, most preferred first, for an application in <paramref name="baseDirectory"/>.</summary>
    internal static IReadOnlyList<string> Candidates(string baseDirectory, OSPlatform os, Architecture architecture)
    {
        var (rid, builds) = os == OSPlatform.Windows ? ($"win-{RidArchitecture(architecture)}", new[] { "librdkafka.dll" })
            : os == OSPlatform.OSX ? ($"osx-{RidArchitecture(architecture)}", new[] { "librdkafka.dylib" })
            : ($"linux-{RidArchitecture(architecture)}", LinuxBuilds);
        var nativeDirectory = Path.Combine(baseDirectory, "runtimes", rid, "native");
        return builds
            .SelectMany(build => new[] { Path.Combine(nativeDirectory, build), Path.Combine(baseDirectory, build) })
            .ToList();
    }

    /// <summary>Loads the first of <paramref name="candidates"/> that exists and loads; the handle stays open for the process.</summary>
    /// <exception cref="LibrdkafkaUnavailableException">None of them loads.</exception>
    internal static (IntPtr Handle, LoadedLibrdkafka Loaded) LoadFirst(IReadOnlyList<string> candidates)
    {
        var attempts = new List<string>();
        foreach (var path in candidates.Where(File.Exists))
        {
            try
            {
                var handle = NativeLibrary.Load(path);
                return (handle, Describe(handle, path));
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                // .NET's message ends with the loader's own reason (such as a missing libsasl2.so.3); the rest is advice about strace.
                var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
                attempts.Add($"{path} ({reason})");
            }
        }
        throw new LibrdkafkaUnavailableException(attempts);
    }

    private static (LoadedLibrdkafka?, LibrdkafkaUnavailableException?) LoadAndBind()
    {
        var os = OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux;
        var handle = IntPtr.Zero;
        LoadedLibrdkafka? loaded = null;
        LibrdkafkaUnavailableException? failure = null;
        try
        {
            (handle, loaded) = LoadFirst(Candidates(AppContext.BaseDirectory, os, RuntimeInformation.ProcessArchitecture));
        }
        catch (LibrdkafkaUnavailableException e)
        {
            failure = e;
        }

        // Bound even when nothing loaded: then every librdkafka call fails with our reason instead of
        // falling through to a system librdkafka.
        DllImportResolver resolver = (name, _, _) =>
            !ImportNames.Contains(name) ? IntPtr.Zero
            : failure is null ? handle
            : throw new DllNotFoundException(failure.Message, failure);
        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, resolver);
        NativeLibrary.SetDllImportResolver(typeof(BundledLibrdkafka).Assembly, resolver);

        if (loaded is not null && Confluent.Kafka.Library.VersionString != loaded.Version)
        {
            failure = new LibrdkafkaUnavailableException(
                $"Confluent.Kafka is bound to librdkafka {Confluent.Kafka.Library.VersionString}, not to the bundled {loaded.Version} " +
                $"at {loaded.Path}: a Kafka client was created before {nameof(BundledLibrdkafka)}.{nameof(Load)} ran.");
            loaded = null;
        }
        return (loaded, failure);
    }

    private static LoadedLibrdkafka Describe(IntPtr handle, string path)
    {
        var versionString = Marshal.GetDelegateForFunctionPointer<VersionStringFunction>(NativeLibrary.GetExport(handle, "rd_kafka_version_str"));
        var confNew = Marshal.GetDelegateForFunctionPointer<ConfNewFunction>(NativeLibrary.GetExport(handle, "rd_kafka_conf_new"));
        var confGet = Marshal.GetDelegateForFunctionPointer<ConfGetFunction>(NativeLibrary.GetExport(handle, "rd_kafka_conf_get"));
        var confDestroy = Marshal.GetDelegateForFunctionPointer<ConfDestroyFunction>(NativeLibrary.GetExport(handle, "rd_kafka_conf_destroy"));

        var version = Marshal.PtrToStringUTF8(versionString()) ?? "";
        var conf = confNew();
        try
        {
            var text = new byte[1024];
            var size = (UIntPtr)text.Length;
            var features = confGet(conf, "builtin.features", text, ref size) == LibrdkafkaMockNativeMethods.ConfigurationOk
                ? System.Text.Encoding.UTF8.GetString(text, 0, Math.Max(0, Array.IndexOf(text, (byte)0)))
                    .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            return new LoadedLibrdkafka(version, path, features);
        }
        finally
        {
            confDestroy(conf);
        }
    }

    private static string RidArchitecture(Architecture architecture) => architecture.ToString().ToLowerInvariant();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr VersionStringFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ConfNewFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ConfGetFunction(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] destination, ref UIntPtr size);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ConfDestroyFunction(IntPtr conf);
}

/// <summary>No build of librdkafka from the librdkafka.redist package loads here: the process cannot talk to Kafka.</summary>
internal sealed class LibrdkafkaUnavailableException : Exception
{
    public LibrdkafkaUnavailableException(string message) : base(message)
    {
    }

    public LibrdkafkaUnavailableException(IReadOnlyCollection<string> attempts) : base(Explain(attempts))
    {
    }

    private static string Explain(IReadOnlyCollection<string> attempts) =>
        $"no build of librdkafka from the librdkafka.redist package loads on this system ({RuntimeInformation.OSDescription}, " +
        $"{RuntimeInformation.ProcessArchitecture}). " +
        (attempts.Count == 0
            ? $"None was found under {AppContext.BaseDirectory}: deploy the application as `dotnet build` or `dotnet publish` lays it out, with its native files. "
            : $"Tried: {string.Join("; ", attempts)}. ") +
        "Supported: Linux x64 with glibc 2.28 or later (RHEL 8+ family through the default build, which needs cyrus-sasl-lib " +
        "for libsasl2.so.3; Debian 10+, Ubuntu 20.04+ and other glibc systems through the self-contained centos8 build), " +
        "Linux arm64 with glibc, Alpine (musl) on x64 and arm64, macOS, and Windows x64/x86. " +
        "A librdkafka installed on the system is never used, so installing one does not help.";
}
