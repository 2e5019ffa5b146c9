"""What an investor typically types into the inquiry form (Chinese), shared by the inquiry tests."""

TYPED_INQUIRY = {
    "company": "星河新能源科技有限公司",
    "contact_name": "王经理",
    "phone": "+86 138-0013-8000",
    "email": "wang@xinghe.example.cn",
    "country": "中国",
    "message": "计划投资动力电池项目，需要工业用地约50亩，明年一季度开工。",
    "investment_wan": "20000",
    "consent": True,  # the box agreeing to the use of the personal data stated on the form
}
