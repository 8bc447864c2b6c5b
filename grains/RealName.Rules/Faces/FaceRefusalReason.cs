namespace RealName.Rules;

/// <summary>
/// Why the face engine refused an image (a quality gate, before any comparison). The names are the wire codes
/// clients see in FaceResult.reasons; the engine decides them and grains and reports carry them unchanged.
/// </summary>
public enum FaceRefusalReason
{
    UNDECODABLE_IMAGE = 1,
    IMAGE_TOO_LARGE = 2,
    NO_FACE = 3,
    MULTIPLE_FACES = 4,
    FACE_TOO_SMALL = 5,
    TOO_BLURRY = 6,
    TOO_DARK = 7,
    OVEREXPOSED = 8,
    NOT_A_PHOTO = 9,
    EXTREME_POSE = 10,
}
