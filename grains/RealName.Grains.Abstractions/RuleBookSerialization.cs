// The rule book's vocabulary (DocumentKind, CardType, ChannelKind, SubscriberStatus, ReReviewTrigger…) travels in
// grain messages; RealName.Rules stays free of Orleans, so its serializers are generated here.
[assembly: GenerateCodeForDeclaringAssembly(typeof(RealName.Rules.RuleBook))]
