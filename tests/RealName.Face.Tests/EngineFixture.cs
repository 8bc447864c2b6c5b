using RealName.Face;

namespace RealName.Face.Tests;

/// <summary>One real engine (real models from ../shared/models) shared by all tests of a collection.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Options = new FaceOptions { PoolSize = 2 };
        Engine = new FaceEngine(Options);
        Evaluator = new FaceEvaluator(Engine);
        Data = SharedPaths.DataRoot();
    }

    public FaceOptions Options { get; }

    public FaceEngine Engine { get; }

    /// <summary>Caches templates across tests (each image is embedded once).</summary>
    public FaceEvaluator Evaluator { get; }

    public string Data { get; }

    public string Faces(string relative) => Path.Combine(Data, "faces", relative);

    public byte[] Bytes(string relativeToData) => File.ReadAllBytes(Path.Combine(Data, relativeToData));

    public void Dispose() => Engine.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "face engine";
}
