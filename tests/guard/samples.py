"""Reply texts the guard is measured on: pitches it must catch and support replies it must let through.

Written the way agents and marketers write them, in the languages Townsquare's customers use.
Each pitch names the purpose a customer must have opted in to before it may be sent.
Measured beyond these tables: 399 real brand replies from TWCS (../shared/data/twcs-labeled
outbound, twcs sample and head), none blocked; the promotion threshold was set on them.
"""

# (language, text, purpose the pitch needs)
PITCHES = [
    ("en", "Glad we could fix it — and use code SAVE20 for 20% off your next order!", "offers"),
    ("en", "Thanks for waiting! Buy now and get free shipping, limited time only.", "offers"),
    ("en", "Sorted! Treat yourself: $15 off headphones this week at https://example.com/deals", "offers"),
    ("en", "Your order is on its way. Use promo code WELCOME10 on your next purchase.", "offers"),
    ("en", "Introducing the new Acme Buds Pro — check out our new colours!", "product_news"),
    ("de", "Mit dem Code SAVE20 erhalten Sie 20 % Rabatt auf Ihre nächste Bestellung.", "offers"),
    ("de", "Ihr Gutscheincode WINTER15 gilt nur für kurze Zeit – jetzt kaufen!", "offers"),
    ("es", "¡Listo! Y usa el código SAVE20 para un 20% de descuento en tu próximo pedido.", "offers"),
    (
        "es",
        "Compra ya: oferta por tiempo limitado en https://example.com/tienda?utm_campaign=verano",
        "offers",
    ),
    ("zh", "问题已解决！使用优惠码SAVE20，下单立享八折。", "offers"),
    ("zh", "感谢支持，本周全场打八折，折扣码SPRING，立即购买！", "offers"),
    ("fr", "C'est réglé ! Profitez de 20 % de réduction avec le code promo ETE20.", "offers"),
    ("fr", "Offre limitée : achetez maintenant sur https://example.com/boutique/soldes", "offers"),
    ("pt", "Resolvido! Use o cupom FRETE10 e ganhe 10% de desconto.", "offers"),
    ("pt", "Compre já, oferta por tempo limitado!", "offers"),
    ("it", "Risolto! Usa il codice sconto ESTATE20 per avere il 20% di sconto.", "offers"),
    ("it", "Acquista ora, offerta valida per un periodo limitato.", "offers"),
    ("ja", "解決しました！クーポンコードSAVE20で20%オフになります。", "offers"),
    ("ja", "期間限定セール開催中、今すぐ購入！", "offers"),
    ("ar", "تم الحل! استخدم كود الخصم SAVE20 لتحصل على خصم 20%", "offers"),
    ("ar", "اشترِ الآن، عرض لفترة محدودة!", "offers"),
    ("en", "Check the cart here: https://example.com/cart?coupon=SPRING", "offers"),
    # Pitches with no discount figure or code: urgency and deal words, or the model alone.
    ("en", "Win a free iPhone! Click to claim your prize", "offers"),
    ("en", "Huge savings on every phone this weekend only, hurry!", "offers"),
    ("en", "Subscribe to our newsletter and never miss a deal!", "offers"),
    ("en", "Check out our Black Friday sale", "offers"),
]

# (language, text): ordinary support replies; none may be blocked for any customer.
SUPPORT_REPLIES = [
    ("en", "We've refunded your order; the money should be back on your card in 3-5 days."),
    ("en", "Your 20% refund was processed this morning."),
    ("en", "Here is the link to reset your password: https://example.com/reset"),
    ("en", "I'm so sorry about the delay, that's not the experience we want you to have."),
    ("en", "Could you DM us your order number so we can look into this?"),
    ("en", "The replacement left our warehouse today, tracking: https://example.com/track/123456"),
    ("en", "Thanks for letting us know! Our engineers have fixed the login error."),
    ("en", "Please try restarting the router and let us know if the light stays red."),
    ("en", "The firmware update 2.1 fixes the battery drain; you can install it from Settings."),
    ("en", "Your promised callback is booked for 3 pm tomorrow."),
    ("en", "We charged you twice by mistake; the second charge of $49 has been reversed."),
    ("de", "Es tut uns leid! Wir haben Ihnen den vollen Betrag erstattet."),
    ("de", "Bitte senden Sie uns Ihre Bestellnummer per DM, dann schauen wir nach."),
    ("de", "Der Techniker kommt am Dienstag zwischen 8 und 12 Uhr."),
    ("de", "Ihre Rückerstattung von 20 % wurde heute angewiesen."),
    ("es", "Lo sentimos mucho, ya hemos enviado un pedido de reemplazo."),
    ("es", "Te hemos devuelto el importe completo, lo verás en tu cuenta en unos días."),
    ("es", "¿Nos puedes enviar por DM tu número de pedido, por favor?"),
    ("es", "Aquí tienes el enlace para restablecer tu contraseña: https://example.com/reset"),
    ("zh", "非常抱歉给您带来不便，我们已经为您办理退款。"),
    ("zh", "请私信我们您的订单号，我们马上为您查询。"),
    ("zh", "您的包裹已经发出，预计明天送达。"),
    ("fr", "Nous sommes désolés, le remboursement a été effectué aujourd'hui."),
    ("fr", "Pouvez-vous nous envoyer votre numéro de commande en message privé ?"),
    ("pt", "Pedimos desculpa, o reembolso já foi processado."),
    ("it", "Ci scusiamo per il disagio, il rimborso è stato emesso oggi."),
    ("ja", "ご不便をおかけして申し訳ございません。返金手続きが完了しました。"),
    ("ar", "نعتذر عن الإزعاج، تم استرداد المبلغ بالكامل."),
    ("ar", "هل يمكنك إرسال رقم الطلب في رسالة خاصة؟"),
    ("en", "Your order #A20-55 has shipped and should arrive Friday."),
    ("en", "No hurry, reply whenever you're ready and we'll pick it up from there."),
    ("en", "Your free trial ends on Friday; cancel before then and you won't be charged."),
    ("en", "If you see error code E42 again, please send us a screenshot."),
    ("en", "That email isn't from us, it's a phishing attempt: https://example.com/help/phishing"),
    ("de", "Kein Problem, das Update 3.2 behebt den Absturz beim Start."),
    ("es", "Tu pedido está en camino, puedes seguirlo aquí: https://example.com/track/8812"),
]
