//! Deterministic evidence: the example document with its `sites` replaced by N sites × M
//! workers. No randomness crate: a xorshift64 generator seeded with a constant.

use serde_json::{Value, json};

use super::civil::Ymd;

/// xorshift64 (Marsaglia); deterministic across runs and platforms.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform-ish in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    /// `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const COUNTRIES: [&str; 4] = ["MY", "CN", "BD", "VN"];
const MIGRANT_NATIONALITIES: [&str; 4] = ["NP", "BD", "MM", "ID"];

/// The example evidence shipped with the crate.
pub fn example() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/example-evidence.json"
    );
    let text = std::fs::read_to_string(path).expect("read examples/example-evidence.json");
    serde_json::from_str(&text).expect("parse examples/example-evidence.json")
}

/// The example evidence with `sites` replaced by `sites` generated sites of `workers` workers.
pub fn generate(sites: usize, workers: usize) -> Value {
    generate_with(sites, workers, false)
}

/// Like [`generate`], but every value within limits: adult workers hired as adults, weeks of
/// at most 60 hours, pay at or above the minimum, no recruitment fees, no identity documents
/// held, no reports of underage workers. Every clause of the baseline is compliant (or not
/// applicable) on it: the path on which no evidence item read should allocate.
pub fn generate_compliant(sites: usize, workers: usize) -> Value {
    generate_with(sites, workers, true)
}

fn generate_with(sites: usize, workers: usize, compliant: bool) -> Value {
    let mut doc = example();
    let law = doc["sites"][0]["applicable_law"].clone();
    assert!(law["max_hours_week"].is_null());
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
    let generated: Vec<Value> = (0..sites)
        .map(|i| site(&mut rng, i, workers, &law, compliant))
        .collect();
    doc["sites"] = Value::Array(generated);
    if compliant {
        // The example assigns nobody the implementation (`management.responsible_person`).
        doc["responsibilities"].as_array_mut().unwrap().push(
            json!({ "role": "implementation_hr", "name": "Lim Wei", "title": "HR manager",
                          "management_position": true, "appointed_on": "2023-08-15" }),
        );
    }
    doc
}

fn site(rng: &mut Rng, i: usize, m: usize, law: &Value, compliant: bool) -> Value {
    let cc = COUNTRIES[i % COUNTRIES.len()];
    let observed = Ymd::new(2024, 5 + (i % 5) as u32, 1 + rng.below(28) as u32).unwrap();
    // Share of worker-weeks over 60 hours differs by site, so severities differ.
    let over_60_percent = [8, 20, 45][i % 3];
    let mondays: Vec<String> = (0..12)
        .map(|k| Ymd::new(2024, 3, 4).unwrap().add_days(7 * k).to_string())
        .collect();

    let mut workers = Vec::with_capacity(m);
    let mut weeks = Vec::with_capacity(m);
    let mut wages = Vec::with_capacity(m);
    let mut recruitment = Vec::with_capacity(m);
    let (mut migrants, mut young) = (0, 0);
    for j in 0..m {
        let worker_ref = format!("W{:05}", j + 1);
        // ~1% are 16 or 17 on the observation date; the rest 18 to 55.
        let is_young = rng.below(100) == 0 && !compliant;
        let age = if is_young {
            young += 1;
            rng.range(16, 17)
        } else {
            rng.range(18, 55)
        };
        let (bm, bd) = (1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
        let later = (bm, bd) > (observed.m, observed.d);
        let birth = Ymd::new(observed.y - age as i32 - i32::from(later), bm, bd).unwrap();
        debug_assert_eq!(birth.age_on(observed), Some(age));
        let hired = if is_young {
            // Hired at 15 (a few at 14: child labour), within a year of that birthday.
            let at = if rng.below(4) == 0 { 14 } else { 15 };
            birth.add_months(12 * at + rng.range(0, 11))
        } else {
            let year = (birth.y + 16)
                .max(rng.range(2005, 2024) as i32)
                .min(observed.y - 1);
            Ymd::new(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32).unwrap()
        };
        let migrant = rng.below(10) < 7;
        migrants += usize::from(migrant);
        let nationality = if migrant {
            *rng.pick(&MIGRANT_NATIONALITIES)
        } else {
            cc
        };

        // One sampled week: 40–60 hours, some 61–75.
        let hours = if rng.below(100) < over_60_percent && !compliant {
            rng.range(61, 75)
        } else {
            rng.range(40, 60)
        };
        let regular = hours.min(45);
        let overtime = hours - regular;
        let consecutive = if hours > 60 {
            rng.range(7, 13)
        } else {
            rng.range(5, 6)
        };

        workers.push(json!({
            "worker_ref": worker_ref,
            "date_of_birth": birth.to_string(),
            "age_verified": true,
            "gender": if rng.below(2) == 0 { "female" } else { "male" },
            "migrant": migrant,
            "nationality": nationality,
            "hired_on": hired.to_string(),
            "night_shift": false,
            "hazardous_task": false,
            "overtime_hours_last_month": overtime * 4,
            "trainee": false,
        }));
        weeks.push(json!({
            "worker_ref": worker_ref,
            "week_start": rng.pick(&mondays),
            "regular_hours": regular,
            "overtime_hours": overtime,
            "rest_days": i64::from(consecutive <= 6),
            "max_consecutive_days": consecutive,
        }));

        // April 2024, monthly; base pay around the 1500 MYR minimum, one in ten below it.
        let base = if rng.below(10) == 0 && !compliant {
            rng.range(1300, 1499)
        } else {
            rng.range(1500, 1800)
        };
        let month_overtime = overtime * 4 + rng.range(0, 8);
        let hourly = (base as f64 * 100.0 / 195.0).round() / 100.0;
        wages.push(json!({
            "worker_ref": worker_ref,
            "period_start": "2024-04-01",
            "period_end": "2024-04-30",
            "pay_basis": "time_rate",
            "days_worked": 26,
            "regular_hours": 195,
            "overtime_hours": month_overtime,
            "base_pay": base,
            "hourly_base_rate": hourly,
            "overtime_pay": (hourly * 1.5 * month_overtime as f64 * 100.0).round() / 100.0,
            "currency": "MYR",
            "deductions": [],
            "due_on": "2024-05-07",
            "paid_on": "2024-05-07",
            "paid_in_full": true,
            "payslip_issued": true,
        }));

        // Most paid nothing; some migrants paid fees, some of which were reimbursed.
        let row = if migrant && rng.below(100) < 15 && !compliant {
            let fee = 100 * rng.range(1, 15);
            let (amount, on) = match rng.below(4) {
                0 => (fee, json!("2024-03-15")), // reimbursed in full before as_of
                1 => (0, Value::Null),           // not reimbursed
                2 => (fee / 2, json!("2024-03-15")), // partly reimbursed
                _ => (fee, json!("2024-12-01")), // reimbursed only after as_of
            };
            json!({
                "worker_ref": worker_ref, "fee_paid": fee, "fee_types": ["agent_fee"],
                "fee_paid_on": "2021-06-01", "currency": "USD", "paid_to": "agent_home_country",
                "monthly_base_wage": 320, "reimbursed_amount": amount, "reimbursed_on": on,
                "loan_taken": false, "loan": null,
            })
        } else {
            json!({
                "worker_ref": worker_ref, "fee_paid": 0, "fee_types": [], "currency": "USD",
                "paid_to": null, "monthly_base_wage": 320, "reimbursed_amount": 0,
                "reimbursed_on": null, "loan_taken": false, "loan": null,
            })
        };
        recruitment.push(row);
    }

    // Identity documents: one site pattern in four each of clean, employer holding IDs
    // unlawfully, lawful holding but agents holding IDs, and housed workers without lockers.
    let held = rng.range(3, 40);
    let documents = match if compliant { 0 } else { i % 4 } {
        1 => json!({ "employer_holds_original_ids": held, "agent_holds_original_ids": 0,
                     "workers_checked": 25, "legal_requirement": false,
                     "access_on_request_hours": null, "locker_provided": true }),
        2 => json!({ "employer_holds_original_ids": m, "agent_holds_original_ids": 2,
                     "workers_checked": 25, "legal_requirement": true,
                     "access_on_request_hours": 4, "access_fee_charged": false,
                     "locker_provided": true }),
        3 => json!({ "employer_holds_original_ids": 0, "agent_holds_original_ids": 0,
                     "workers_checked": 25, "legal_requirement": false,
                     "access_on_request_hours": null, "locker_provided": false }),
        _ => json!({ "employer_holds_original_ids": 0, "agent_holds_original_ids": 0,
                     "workers_checked": 25, "legal_requirement": false,
                     "access_on_request_hours": null, "locker_provided": true }),
    };
    let housed = i % 4 != 1;
    // Some sites report testimony of underage workers (then every age must be verified).
    let reports = if i % 3 == 1 && !compliant {
        json!([{ "report_id": format!("R{}", i + 1), "topic": "underage_workers",
                 "clause_ids": ["child_labour.minimum_age"], "summary": "workers say minors work here",
                 "workers_reporting": 1, "share_reporting": 0.04 }])
    } else {
        json!([])
    };

    json!({
        "site_id": format!("{cc}-S{:03}", i + 1),
        "country": cc,
        "observed_on": observed.to_string(),
        "observation_source": "factory_audit",
        "applicable_law": law,
        "workforce": { "headcount": m * 9, "migrant_workers": migrants * 9, "young_workers": young * 9,
                       "nationalities": [cc, "NP", "BD", "MM", "ID"] },
        "workers": workers,
        "hours_records": {
            "period_from": "2024-03-04", "period_to": "2024-05-26", "records_reliable": true,
            "worker_weeks": weeks,
            "emergencies": [],
        },
        "wage_records": wages,
        "recruitment": recruitment,
        "documents_retention": documents,
        "accommodation": { "provided": housed, "meets_law": true, "persons_per_room": 8,
                           "locker_provided": compliant || i % 4 != 3 },
        "interviews": { "workers_interviewed": m.min(25), "reports": reports },
    })
}

/// Small documents with one edit each, for checking that the baseline follows the engine off
/// the happy path too (absent evidence, fallbacks, filters).
pub fn variants() -> Vec<(&'static str, Value)> {
    let base = generate(2, 30);
    let edit = |name: &'static str, f: &dyn Fn(&mut Value)| {
        let mut doc = base.clone();
        f(&mut doc);
        (name, doc)
    };
    let young = |doc: &Value| -> usize {
        let ws = doc["sites"][0]["workers"].as_array().unwrap();
        ws.iter()
            .position(|w| w["date_of_birth"].as_str().unwrap() > "2006-01-01")
            .unwrap_or(0)
    };
    vec![
        edit("week with total_hours", &|d| {
            let w = &mut d["sites"][0]["hours_records"]["worker_weeks"][0];
            w["regular_hours"] = json!(45);
            w["overtime_hours"] = json!(10);
            w["total_hours"] = json!(55);
        }),
        edit("hired_on absent", &|d| {
            d["sites"][0]["workers"][3]
                .as_object_mut()
                .unwrap()
                .remove("hired_on");
        }),
        edit("date of birth after observation", &|d| {
            d["sites"][1]["workers"][2]["date_of_birth"] = json!("2024-12-30");
        }),
        edit("records not reliable", &|d| {
            d["sites"][1]["hours_records"]["records_reliable"] = json!(false);
        }),
        edit("wage in another currency", &|d| {
            d["sites"][0]["wage_records"][1]["currency"] = json!("USD");
            d["sites"][0]["wage_records"][1]["base_pay"] = json!(400);
        }),
        edit("country only in supply chain, national age 16", &|d| {
            let site = d["sites"][1].as_object_mut().unwrap();
            site.remove("country");
            site.insert("site_id".into(), json!("MY-PKG-02"));
            d["supply_chain"]["sites"][1]["country"] = json!("CN");
            d["sites"][1]["applicable_law"]["min_working_age"] = Value::Null;
        }),
        edit("site observed after as_of", &|d| {
            d["sites"][1]["observed_on"] = json!("2024-11-30");
        }),
        edit("documents_retention absent", &|d| {
            d["sites"][0]
                .as_object_mut()
                .unwrap()
                .remove("documents_retention");
        }),
        edit("reimbursement date unknown", &|d| {
            let r = &mut d["sites"][0]["recruitment"][0];
            r["fee_paid"] = json!(500);
            r["reimbursed_amount"] = json!(500);
            r["reimbursed_on"] = Value::Null;
        }),
        edit("legal weekly cap 48", &|d| {
            d["sites"][0]["applicable_law"]["max_hours_week"] = json!(48);
        }),
        edit("emergency week", &|d| {
            d["sites"][0]["hours_records"]["emergencies"] =
                json!([{ "start": "2024-03-01", "end": "2024-04-10", "description": "flood" }]);
        }),
        edit("young worker at night, hazardous", &|d| {
            let j = young(d);
            d["sites"][0]["workers"][j]["night_shift"] = json!(true);
            d["sites"][0]["workers"][j]["hazardous_task"] = json!(true);
            d["sites"][0]["workers"][j]["date_of_birth"] = json!("2007-01-01");
        }),
        edit("policy below board, nobody responsible", &|d| {
            d["policies"][0]["approval_level"] = json!("department");
            d["responsibilities"] = json!([]);
        }),
        edit("no policy of the supplier's own", &|d| {
            d["policies"][0]["owner"] = json!("site:MY-KLG-01");
        }),
        edit("policy gaps", &|d| {
            d["policies"][0]["topics"] = json!(["human_rights"]);
            d["policies"][0]["approved_on"] = json!("2024-01-10");
            d["policies"][0]["last_revised_on"] = Value::Null;
            d["policies"][0]["public_url"] = json!("intranet");
            d["policies"][0]["communicated_to"] = json!(["employees"]);
            d["policies"][1]["owner"] = Value::Null;
        }),
        edit("basic contract", &|d| {
            d["contract"]["clause_level"] = json!("basic");
        }),
        edit("no migrants, no fees", &|d| {
            for site in d["sites"].as_array_mut().unwrap() {
                site["workforce"]["migrant_workers"] = json!(0);
                for r in site["recruitment"].as_array_mut().unwrap() {
                    r["fee_paid"] = json!(0);
                }
            }
        }),
        edit("sites empty", &|d| {
            d["sites"] = json!([]);
        }),
        edit("clause level outside its enum", &|d| {
            d["contract"]["clause_level"] = json!("premium");
        }),
        edit("week without overtime hours", &|d| {
            d["sites"][1]["hours_records"]["worker_weeks"][4]
                .as_object_mut()
                .unwrap()
                .remove("overtime_hours");
        }),
        edit("week without worker_ref", &|d| {
            d["sites"][0]["hours_records"]["worker_weeks"][5]
                .as_object_mut()
                .unwrap()
                .remove("worker_ref");
            let j = young(d);
            d["sites"][0]["workers"][j]["date_of_birth"] = json!("2007-01-01");
        }),
        edit("legal weekly cap from the country table", &|d| {
            d["sites"][1]["country"] = json!("ID");
        }),
        edit("summary with the legal-limit share", &|d| {
            d["sites"][1]["country"] = json!("MX");
            d["sites"][1]["hours_records"]["summary"] =
                json!({ "share_weeks_over_legal_limit": 0.3, "share_weeks_over_72": 0.2 });
        }),
        edit("interview topic outside its enum", &|d| {
            d["sites"][1]["interviews"]["reports"] = json!([{ "topic": "child_labour" }]);
        }),
        edit("hours records without period_to", &|d| {
            d["sites"][0]["hours_records"]
                .as_object_mut()
                .unwrap()
                .remove("period_to");
        }),
        edit("summary with a yearly overtime share", &|d| {
            d["sites"][0]["hours_records"]["summary"] =
                json!({ "share_workers_over_ot_year_cap": 0.05 });
        }),
        edit("observed_on not a date", &|d| {
            d["sites"][1]["observed_on"] = json!("2024-13-01");
        }),
        edit("every site observed after as_of", &|d| {
            for site in d["sites"].as_array_mut().unwrap() {
                site["observed_on"] = json!("2025-01-01");
            }
        }),
        edit(
            "summary over 60 under a legal cap of 48, no raw weeks",
            &|d| {
                let site = &mut d["sites"][0];
                site["applicable_law"]["max_hours_week"] = json!(48);
                site["hours_records"]["worker_weeks"] = json!([]);
                site["hours_records"]["summary"] =
                    json!({ "share_weeks_over_legal_limit": 0, "share_weeks_over_60": 0.1 });
            },
        ),
        edit("wage period weekly", &|d| {
            let min = &mut d["sites"][0]["applicable_law"]["minimum_wage"];
            min["period"] = json!("week");
            min["amount"] = json!(350);
        }),
    ]
}
