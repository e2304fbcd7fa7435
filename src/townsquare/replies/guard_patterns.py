"""What marks a reply as a sales pitch, per language, as data; compiled into one regex.

Each table maps a signal to the phrasings marketers use in that language. The signals decide which
opt-in a reply needs (see `guard.needed_purpose`):

- discount_code: a code to type at checkout ("use code SAVE20", "优惠码"), the clearest pitch;
- discount: a price cut (percent or amount *off*). A refund of 20% is not a discount, so the
  patterns always need the word for "off"/"discount" next to the number;
- sales_push: urgency to buy ("buy now", "limited time");
- announcement: a product launch without a price cut, which needs "product news" rather than
  "offers". Kept to launch language: "now available" also announces bug-fix updates.

Links are judged separately (`shop_link`): by where they point, not by the words around them.
The patterns run case-insensitively on the original text; CJK patterns have no word boundaries
because those scripts do not put spaces between words.
"""

import re
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

SIGNALS = ("discount_code", "discount", "sales_push", "announcement")
# A number starts where no digit precedes it: without the lookbehind, a long run of digits is
# retried from every position (quadratic; 100k digits took minutes).
NUMBER = r"(?<![\d.,])\d+(?:[.,]\d+)?"

PATTERNS: dict[str, dict[str, list[str]]] = {
    "en": {
        "discount_code": [
            r"\b(?:promo|discount|coupon|voucher|referral)\s*codes?\b",
            # "use code SAVE20": a verb before "code" tells a code apart from "error code 42".
            r"\b(?:use|using|with|enter|apply)\s+(?:the\s+|my\s+|our\s+)?code\b",
            r"\bcoupons?\b",
        ],
        "discount": [
            NUMBER + r"\s?%\s?off\b",
            r"[$€£¥]\s?\d+(?:[.,]\d+)?\s?off\b",
            NUMBER + r"\s?(?:[$€£]|usd|eur|gbp|dollars?|euros?|pounds?)\s?off\b",
            r"\bsave (?:up to )?\d+\s?%",
            r"\b(?:half price|buy one,? get one|bogo)\b",
        ],
        "sales_push": [
            r"\b(?:buy|shop|order) (?:it |yours |them )?now\b",
            r"\blimited[- ]time\b",
            r"\bwhile (?:supplies|stocks?) lasts?\b",
            r"\bdon'?t miss (?:out|this deal|this offer)\b",
            r"\bexclusive (?:offer|deal|discount|reward)s?\b",
            r"\b(?:amazing|great|huge|hot|unbeatable) (?:deals?|offers?|savings?|discounts?)\b",
            r"\b(?:black friday|cyber monday|summer|winter|spring|holiday|clearance|flash) sales?\b",
            r"\bsale ends\b",
            r"\bnever miss a deal\b",
            r"\b(?:start|get|claim) (?:your |a )?free trial\b",
            r"\bfree gifts? with\b",
            r"\bsign up (?:now|today)\b",
            r"\btreat yourself\b",
            r"(?<!no )(?<!a )\bhurry\b",  # "hurry!", not "no hurry" or "in a hurry"
        ],
        "announcement": [
            r"\bintroducing\b",
            r"\bjust launched\b",
            r"\b(?:check out|meet|discover) (?:our|the) (?:all-)?new\b",
            r"\bpre-?order (?:now|yours|today)\b",
        ],
    },
    "de": {
        "discount_code": [
            r"\b(?:gutschein|rabatt|aktions|promo)codes?\b",
            r"\bmit dem (?:gutschein|rabatt)?code\b",
        ],
        "discount": [
            NUMBER + r"\s?%\s?(?:rabatt|nachlass|reduziert)",
            NUMBER + r"\s?(?:€|euro)\s?rabatt\b",
            r"\bspare[n]? (?:bis zu )?\d+\s?%",
        ],
        "sales_push": [
            r"\bjetzt (?:kaufen|bestellen|zuschlagen|sichern)\b",
            r"\bnur für kurze zeit\b",
            r"\bzeitlich begrenzt",
            r"\bsolange der vorrat reicht\b",
            r"\b(?:sonderangebot|schnäppchen)\w*",
        ],
        "announcement": [r"\bjetzt neu\b", r"\bentdecken sie (?:unser|unsere|den|die|das) neue"],
    },
    "es": {
        "discount_code": [
            r"\bc[óo]digos? (?:de descuento|promocional(?:es)?|promo)\b",
            r"\busa(?:r)? el c[óo]digo(?: de descuento| promocional)?\b",
            r"\bcup[óo]n(?:es)?\b",
        ],
        "discount": [
            NUMBER + r"\s?%\s?(?:de descuento|dto)\b",
            r"\bdescuento del \d+",
            NUMBER + r"\s?(?:€|euros?|\$)\s?de descuento\b",
        ],
        "sales_push": [
            r"\bc[óo]mpr(?:a|alo|ala) (?:ya|ahora)\b",
            r"\bpor tiempo limitado\b",
            r"\boferta (?:exclusiva|especial|limitada)\b",
            r"\bhasta agotar (?:existencias|stock)\b",
            r"\bno te lo pierdas\b",
            r"\brebajas\b",
        ],
        "announcement": [r"\b(?:presentamos|descubre) (?:el|la|los|las|nuestro|nuestra|nuestros) nuev"],
    },
    "fr": {
        "discount_code": [
            r"\bcodes? (?:promo|de réduction|réduction|remise)\b",
            r"\bavec le code(?: promo| de réduction)?\b",
        ],
        "discount": [NUMBER + r"\s?%\s?de (?:réduction|remise)\b", r"\bremise de \d+", r"\bsoldes\b"],
        "sales_push": [
            r"\bachetez (?:maintenant|dès maintenant|vite)\b",
            r"\boffre (?:limitée|exclusive|spéciale)\b",
            r"\bpour une durée limitée\b",
            r"\bjusqu'à épuisement des stocks\b",
            r"\bbons plans\b",
        ],
        "announcement": [r"\bdécouvrez (?:notre|nos|le|la|les) nouve", r"\bprécommandez\b"],
    },
    "pt": {
        "discount_code": [
            r"\bc[óo]digos? (?:de desconto|promocional)\b",
            r"\bcup(?:om|ons)\b",
            r"\buse o c[óo]digo(?: de desconto| promocional)?\b",
        ],
        "discount": [NUMBER + r"\s?%\s?de desconto\b", r"\bdesconto de \d+"],
        "sales_push": [
            r"\bcompre (?:já|agora)\b",
            r"\bpor tempo limitado\b",
            r"\boferta (?:exclusiva|especial|imperdível|relâmpago)\b",
            r"\bnão perca\b",
            r"\bliquidação\b",
        ],
        "announcement": [r"\bconheça (?:o|a|os|as|nosso|nossa) nov", r"\blançamento\b"],
    },
    "it": {
        "discount_code": [
            r"\bcodic[ei] (?:sconto|promozional[ei]|promo)\b",
            r"\busa il codice(?: sconto| promozionale| promo)?\b",
        ],
        "discount": [NUMBER + r"\s?%\s?di sconto\b", r"\bsconto del \d+"],
        "sales_push": [
            r"\b(?:acquista|compra|ordina) (?:ora|subito|adesso)\b",
            r"\bofferta (?:limitata|esclusiva|speciale)\b",
            r"\bper (?:un )?(?:periodo|tempo) limitato\b",
            r"\bfino ad esaurimento scorte\b",
        ],
        "announcement": [r"\bscopri (?:il|la|i|le) (?:nostr[oaie] )?nuov"],
    },
    # Chinese: 八折 is "80% of the price" (20% off); 优惠 ("special price") only appears in sales talk.
    "zh": {
        "discount_code": [r"优惠码|折扣码|优惠券|兑换码|促销码"],
        "discount": [r"[一二三四五六七八九\d](?:\.\d)?折", r"打折|立减|优惠|满\d+减\d+"],
        "sales_push": [r"立即(?:购买|下单|抢购)|马上(?:购买|抢购|下单)|限时|秒杀|抢购|特价|大促"],
        "announcement": [r"新品上市|全新上市|隆重推出|新品首发"],
    },
    # Japanese: オフ/引き after a number is "off"; セール is only ever a sale.
    "ja": {
        "discount_code": [r"クーポン(?:コード)?|プロモコード|割引コード"],
        "discount": [NUMBER + r"\s?[%％]\s?(?:オフ|OFF|引き)", NUMBER + r"円引き", r"半額|割引"],
        "sales_push": [r"今すぐ(?:購入|注文|お買い求め)|期間限定|数量限定|セール|特価|お見逃しなく"],
        "announcement": [r"新発売|新登場|発売開始|予約受付中"],
    },
    # Arabic: خصم is "discount", كود/رمز الخصم "discount code"; ٪ is the Arabic percent sign.
    "ar": {
        "discount_code": [r"(?:كود|رمز) (?:ال)?خصم|كوبون|قسيمة (?:ال)?خصم"],
        "discount": [r"خصم\s?(?:بنسبة\s?)?[\d٠-٩]+", r"(?<![\d٠-٩])[\d٠-٩]+\s?[%٪]\s?خصم", r"تخفيضات"],
        "sales_push": [r"اشتر\u0650?\s?الآن|اطلب الآن|تسوق الآن|لفترة محدودة|عرض (?:خاص|حصري)|لا تفوت"],
        "announcement": [r"وصل حديثا|منتجنا الجديد"],
    },
}

# A link is found in the same pass and judged by `shop_link`.
_URL = r"(?:https?://|www\.)[^\s<>\"'，。）)]+"


# Where a match can start: a word boundary, punctuation or a currency sign, any non-ASCII letter
# (CJK and Arabic have no spaces to make boundaries), or a number. Tested once per position, it
# spares trying every alternative inside ASCII words: twice as fast on replies, 20x on a long word.
_CAN_START = r"(?=\b|[^\w\s]|[^\x00-\x7f]|(?<![\d.,])\d)"


def _compile() -> re.Pattern:
    groups = []
    for signal in SIGNALS:
        alternatives = [pattern for table in PATTERNS.values() for pattern in table.get(signal, ())]
        groups.append(f"(?P<{signal}>{'|'.join(alternatives)})")
    groups.append(f"(?P<link>{_URL})")
    return re.compile(_CAN_START + "(?:" + "|".join(groups) + ")", re.IGNORECASE)


SIGNAL_REGEX = _compile()

# Path segments, host labels and query parameters of pages that sell. A path segment must be the
# whole word: /help/checkout-problems is a help page, /checkout is the till.
SHOP_PATH_SEGMENTS = {
    "shop", "store", "cart", "basket", "checkout", "coupon", "coupons", "promo", "promos",
    "promotion", "promotions", "deal", "deals", "sale", "sales", "offer", "offers", "discount",
    "discounts", "voucher", "vouchers", "tienda", "ofertas", "cupones", "boutique", "soldes",
    "loja", "cupons", "negozio", "offerte", "angebote", "gutscheine",
}  # fmt: skip
SHOP_HOST_LABELS = {"coupon", "coupons", "promo", "deals", "offers", "sale"}
CAMPAIGN_PARAMETERS = {
    "utm_campaign", "coupon", "coupon_code", "promo", "promo_code", "promocode",
    "discount", "discount_code", "voucher",
}  # fmt: skip
# A code is written in capitals and digits ("SAVE20"); read case-sensitively right after "code".
_CODE_TOKEN = re.compile(r"[\s:：]*([A-Z0-9][A-Z0-9_-]{2,})(?![a-z])")


class Signal(NamedTuple):
    kind: str  # one of SIGNALS or "shop_link"
    detail: str  # what was found, as written: "SAVE20", "20% off", the URL


def shop_link(url: str) -> bool:
    """True when the URL points at a shop, cart, coupon or deals page, or carries a campaign tag."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host_labels = set((parts.hostname or "").lower().split("."))
    segments = {segment.rsplit(".", 1)[0] for segment in parts.path.lower().split("/") if segment}
    parameters = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(
        host_labels & SHOP_HOST_LABELS or segments & SHOP_PATH_SEGMENTS or parameters & CAMPAIGN_PARAMETERS
    )


def scan(text: str) -> tuple[list[Signal], str]:
    """Every promotional signal in the text, in order, and the text without its links: one regex pass.

    The promotion model was trained on link-dumping spam and scores any URL (a password-reset
    link too) as a pitch, so it reads the text without links; links are judged by `shop_link`."""
    signals, pieces, position = [], [], 0
    for match in SIGNAL_REGEX.finditer(text):
        kind = match.lastgroup
        detail = match.group().strip()
        if kind == "link":
            pieces.append(text[position : match.start()])
            position = match.end()
            if not shop_link(detail):
                continue
            kind = "shop_link"
        elif kind == "discount_code":
            code = _CODE_TOKEN.match(text, match.end())
            detail = code.group(1) if code else detail
        signals.append(Signal(kind, detail))
    pieces.append(text[position:])
    return signals, " ".join(pieces)


def find_signals(text: str) -> list[Signal]:
    return scan(text)[0]


def strip_links(text: str) -> str:
    return scan(text)[1]
