"""The YoutubeDL that children use: yt-dlp's own, with a cheaper start."""

from __future__ import annotations

from typing import Any

import yt_dlp
from yt_dlp.extractor import gen_extractor_classes
from yt_dlp.extractor.common import UnsupportedURLIE


class WarmYoutubeDL(yt_dlp.YoutubeDL):  # type: ignore[misc]
    """Builds the default extractor list in linear time.

    With ``allowed_extractors`` unset, yt-dlp resolves the alias ``default`` through
    ``orderedSet``, which is quadratic over ~1,800 names (about 50 ms a YoutubeDL on this
    hardware). The names are already unique dict keys, so the result is the same list in the
    same order; any other ``allowed_extractors`` goes through yt-dlp's own code.
    """

    def add_default_info_extractors(self) -> None:
        if self.params.get("allowed_extractors") not in (None, ["default"]):
            super().add_default_info_extractors()
            return
        all_ies: dict[str, Any] = {ie.IE_NAME.lower(): ie for ie in gen_extractor_classes()}
        all_ies["end"] = UnsupportedURLIE()
        for ie in all_ies.values():
            if ie._ENABLED:
                self.add_info_extractor(ie)
