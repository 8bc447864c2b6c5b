#!/usr/bin/env bash
# Downloads the three face models from their public sources into DEST and verifies their SHA-256.
# Usage: scripts/download-models.sh [DEST]   (default: ${XDG_DATA_HOME:-~/.local/share}/realname/models)
# Then point the engine at DEST: Face:ModelsPath=DEST (or env REALNAME_MODELS=DEST).
# Needs: curl, sha256sum, tar, and npm (for the faceplugin model, shipped only in an npm package).
set -euo pipefail

DEST="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/realname/models}"
mkdir -p "$DEST/paddlex_mobilefacenet" "$DEST/faceplugin"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

YUNET_SHA=8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4
PADDLEX_SHA=6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743
FACEPLUGIN_SHA=87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581

# YuNet 2023mar: libfacedetection.train at a pinned commit (same bytes as OpenCV Zoo's face_detection_yunet_2023mar.onnx).
YUNET_URLS=(
  "https://raw.githubusercontent.com/ShiqiYu/libfacedetection.train/0047ac24afb1a50a0c6105001c89d1b5b805dbf1/onnx/yunet_s_640_640.onnx"
  "https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/face_detection_yunet_2023mar.onnx"
)
# PaddleX MobileFaceNet (128-d), pinned commit.
PADDLEX_URL="https://raw.githubusercontent.com/KennethWang1221/Face-Detection-and-Recognition-System/5638c7a40ba4f35d614e623f8cf094296c5c6106/MobileFaceNet.onnx"
# faceplugin fr_feature (512-d): file model/fr_feature.onnx of the npm package.
FACEPLUGIN_NPM="faceplugin-face-recognition-js@0.0.1"

verify() { # file expected-sha
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$actual" != "$2" ]]; then
    echo "SHA-256 mismatch for $1: got $actual, expected $2" >&2
    return 1
  fi
}

fetch() { # dest expected-sha url...
  local out="$1" sha="$2"; shift 2
  if [[ -f "$out" ]] && verify "$out" "$sha" 2>/dev/null; then
    echo "ok (already present): $out"; return 0
  fi
  local url
  for url in "$@"; do
    echo "downloading $url"
    if curl -fsSL --retry 3 -o "$TMP/dl" "$url" && verify "$TMP/dl" "$sha"; then
      mv "$TMP/dl" "$out"; echo "ok: $out"; return 0
    fi
  done
  echo "FAILED: could not fetch a verified copy of $out" >&2
  return 1
}

fetch "$DEST/face_detection_yunet_2023mar.onnx" "$YUNET_SHA" "${YUNET_URLS[@]}"
fetch "$DEST/paddlex_mobilefacenet/MobileFaceNet.onnx" "$PADDLEX_SHA" "$PADDLEX_URL"

FP="$DEST/faceplugin/fr_feature.onnx"
if [[ -f "$FP" ]] && verify "$FP" "$FACEPLUGIN_SHA" 2>/dev/null; then
  echo "ok (already present): $FP"
else
  echo "npm pack $FACEPLUGIN_NPM"
  (cd "$TMP" && npm pack --silent "$FACEPLUGIN_NPM" >/dev/null)
  tar -xzf "$TMP"/faceplugin-face-recognition-js-0.0.1.tgz -C "$TMP" package/model/fr_feature.onnx
  verify "$TMP/package/model/fr_feature.onnx" "$FACEPLUGIN_SHA"
  mv "$TMP/package/model/fr_feature.onnx" "$FP"
  echo "ok: $FP"
fi

cat > "$DEST/SHA256SUMS" <<SUMS
$YUNET_SHA  ./face_detection_yunet_2023mar.onnx
$FACEPLUGIN_SHA  ./faceplugin/fr_feature.onnx
$PADDLEX_SHA  ./paddlex_mobilefacenet/MobileFaceNet.onnx
SUMS
echo "All models verified in $DEST. Set Face:ModelsPath=$DEST (or REALNAME_MODELS=$DEST)."
