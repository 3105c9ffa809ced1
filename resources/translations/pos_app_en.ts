<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ko_KR">
<context>
    <name>AmountForm</name>
    <message>
        <source>결제 금액</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>예: 12,000</source>
        <translation>e.g. 12,000</translation>
    </message>
    <message>
        <source>원</source>
        <translation>KRW</translation>
    </message>
    <message>
        <source>금액</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>주문명</source>
        <translation>Order name</translation>
    </message>
    <message>
        <source>일시불</source>
        <translation>Lump sum</translation>
    </message>
    <message numerus="yes">
        <source>%n개월</source>
        <translation>
            <numerusform>%n month</numerusform>
            <numerusform>%n months</numerusform>
        </translation>
    </message>
    <message>
        <source>할부</source>
        <translation>Instalments</translation>
    </message>
    <message>
        <source>면세 금액</source>
        <translation>Tax-free part</translation>
    </message>
    <message>
        <source>체크카드는 할부가 되지 않습니다</source>
        <translation>A check card cannot pay in instalments</translation>
    </message>
    <message>
        <source>할부는 %1 이상부터 가능합니다</source>
        <translation>Instalments start at %1</translation>
    </message>
    <message>
        <source>부가세 %1</source>
        <translation>VAT %1</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>기록</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>오늘</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>최근 7일</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>최근 30일</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>전체</source>
        <translation>Everything</translation>
    </message>
    <message>
        <source>직원, 동작, 주문번호로 찾기</source>
        <translation>Find by person, action, order id</translation>
    </message>
    <message>
        <source>CSV로 저장…</source>
        <translation>Save as CSV…</translation>
    </message>
    <message>
        <source>기록을 읽는 중…</source>
        <translation>Reading the log…</translation>
    </message>
    <message>
        <source>기록이 손상되었습니다: %1</source>
        <translation>The log was tampered with: %1</translation>
    </message>
    <message>
        <source>전체 기록 %1건, 이상 없음. 확인 값 %2 (따로 적어 두면 나중에 기록이 다시 쓰였는지 확인할 수 있습니다)</source>
        <translation>%1 entries in all, intact. Anchor %2 (note it elsewhere to check later that the log was not rewritten)</translation>
    </message>
    <message>
        <source>기록을 읽지 못했습니다: %1</source>
        <translation>Could not read the log: %1</translation>
    </message>
    <message>
        <source>기록 저장</source>
        <translation>Save the log</translation>
    </message>
    <message>
        <source>저장했습니다: %1</source>
        <translation>Saved: %1</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>번호</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>시간</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>단말기</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <source>직원</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>동작</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>내용</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>BillingHook</name>
    <message>
        <source>결제</source>
        <translation>Billing</translation>
    </message>
    <message>
        <source>정기 결제…</source>
        <translation>Billing run…</translation>
    </message>
    <message>
        <source>지난 정기 결제(%1)가 끝나지 않았습니다: 남은 %2건, 합계 %3. 보낸 결제는 PortOne에 먼저 확인하고, 나머지를 같은 주문번호로 이어서 결제합니다 (두 번 결제되지 않습니다). 이어서 할까요?</source>
        <translation>The last billing run (%1) did not finish: %2 rows left, %3 in all. Charges that were already sent are checked with PortOne first, and the rest are charged under the same order ids (nobody is charged twice). Resume it?</translation>
    </message>
    <message>
        <source>멈춘 정기 결제</source>
        <translation>Interrupted billing run</translation>
    </message>
    <message>
        <source>이어서 하기</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>계획 파일을 받지 않았습니다. 아무것도 저장하지 않았습니다.</source>
        <translation>The plan file was refused. Nothing was saved.</translation>
    </message>
    <message>
        <source>회원 %1명의 계획을 저장했습니다. 찾지 못한 고객 %2명.</source>
        <translation>Saved the plans of %1 members. Customers not found: %2.</translation>
    </message>
    <message>
        <source>PortOne 예약 결제를 확인했습니다: 결제 %1건, 거절 %2건</source>
        <translation>PortOne&apos;s scheduled charges checked: %1 paid, %2 declined</translation>
    </message>
</context>
<context>
    <name>BillingRunDialog</name>
    <message>
        <source>정기 결제</source>
        <translation>Billing run</translation>
    </message>
    <message>
        <source>결제일이 된 회원</source>
        <translation>Members due</translation>
    </message>
    <message>
        <source>청구 파일</source>
        <translation>Bill file</translation>
    </message>
    <message>
        <source>결제일</source>
        <translation>Billing day</translation>
    </message>
    <message>
        <source>이날까지 결제일이 지난 회원 (PC가 꺼져 있던 날 포함)</source>
        <translation>Members whose billing day has come by this date (including days the PC was off)</translation>
    </message>
    <message>
        <source>회원 보기</source>
        <translation>Show members</translation>
    </message>
    <message>
        <source>customer_uid,amount,name 형식의 CSV 파일</source>
        <translation>A CSV file of customer_uid,amount,name</translation>
    </message>
    <message>
        <source>찾아보기…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>청구 기간</source>
        <translation>Billing period</translation>
    </message>
    <message>
        <source>기간</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>불러오기</source>
        <translation>Load</translation>
    </message>
    <message>
        <source>확인할 것만 보기</source>
        <translation>Only rows to look at</translation>
    </message>
    <message>
        <source>정기 결제 목록</source>
        <translation>Billing run rows</translation>
    </message>
    <message>
        <source>진행</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>결제 시작</source>
        <translation>Start charging</translation>
    </message>
    <message>
        <source>일시 정지</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>중지</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>거절 건 다시 시도…</source>
        <translation>Retry declined…</translation>
    </message>
    <message>
        <source>CSV로 저장…</source>
        <translation>Save as CSV…</translation>
    </message>
    <message>
        <source>닫기</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>결제일이 된 회원을 찾는 중 (미확인 결제는 PortOne에 먼저 확인)</source>
        <translation>Finding the members due (unsettled charges are checked with PortOne first)</translation>
    </message>
    <message>
        <source>청구 파일을 고르거나 경로를 입력하세요.</source>
        <translation>Choose a bill file or type its path.</translation>
    </message>
    <message>
        <source>청구 파일을 읽는 중</source>
        <translation>Reading the bill file</translation>
    </message>
    <message>
        <source>멈춘 정기 결제를 PortOne에 확인하는 중</source>
        <translation>Checking the interrupted run with PortOne</translation>
    </message>
    <message>
        <source>CSV 파일 (*.csv);;모든 파일 (*)</source>
        <translation>CSV files (*.csv);;All files (*)</translation>
    </message>
    <message>
        <source>청구 파일을 받지 않았습니다. 아무것도 결제하지 않았습니다.</source>
        <translation>The bill file was refused. Nothing was charged.</translation>
    </message>
    <message>
        <source>결제할 회원 %1건 · 합계 %2 · 건너뜀 %3건</source>
        <translation>To charge: %1 · total %2 · skipped: %3</translation>
    </message>
    <message>
        <source>멈췄던 정기 결제를 이어서 합니다.</source>
        <translation>Resuming an interrupted billing run.</translation>
    </message>
    <message>
        <source>일시 정지 %1명 · PortOne 예약 %2명</source>
        <translation>paused plans: %1 · scheduled at PortOne: %2</translation>
    </message>
    <message>
        <source>거절 건 다시 시도: %1</source>
        <translation>retrying declined rows: %1</translation>
    </message>
    <message>
        <source>%1건 결제 시작</source>
        <translation>Charge %1</translation>
    </message>
    <message>
        <source>결제 %1 (%2)</source>
        <translation>paid %1 (%2)</translation>
    </message>
    <message>
        <source>거절 %1</source>
        <translation>declined %1</translation>
    </message>
    <message>
        <source>거부 %1</source>
        <translation>refused %1</translation>
    </message>
    <message>
        <source>확인 필요 %1</source>
        <translation>to check %1</translation>
    </message>
    <message>
        <source>보내지 않음 %1</source>
        <translation>not sent %1</translation>
    </message>
    <message>
        <source>%1건/초</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>남은 시간 %1</source>
        <translation>%1 left</translation>
    </message>
    <message>
        <source>멈춤: PortOne에 연결되지 않습니다 (연속 실패). 연결을 확인한 뒤 &apos;계속&apos;을 누르세요.</source>
        <translation>Paused: PortOne cannot be reached (failures in a row). Check the connection, then press Resume.</translation>
    </message>
    <message>
        <source>멈춤: 거래 기록에 쓸 수 없습니다. &apos;중지&apos;를 누르고 문제를 해결하세요.</source>
        <translation>Paused: the journal cannot be written. Press Stop and fix the problem.</translation>
    </message>
    <message>
        <source>진행 중</source>
        <translation>running</translation>
    </message>
    <message>
        <source>멈추는 중 (보낸 결제의 응답을 기다림)</source>
        <translation>pausing (waiting for the charges already sent)</translation>
    </message>
    <message>
        <source>일시 정지됨</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>중지하는 중</source>
        <translation>stopping</translation>
    </message>
    <message>
        <source>중지됨</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>끝남</source>
        <translation>finished</translation>
    </message>
    <message>
        <source>정기 결제 시작</source>
        <translation>Start the billing run</translation>
    </message>
    <message>
        <source>회원 %1건, 합계 %2을 결제합니다. 시작할까요?</source>
        <translation>%1 charges, %2 in all, will be made. Start?</translation>
    </message>
    <message>
        <source>시작하는 중</source>
        <translation>starting</translation>
    </message>
    <message>
        <source>거절 건 다시 시도</source>
        <translation>Retry declined rows</translation>
    </message>
    <message>
        <source>카드사가 거절한 건을 새 주문번호로 한 번 더 결제합니다. 사유를 남겨 주세요 (거래 기록에 남습니다).</source>
        <translation>Rows the card company declined are charged once more under a new order id. Give a reason (it is kept in the journal).</translation>
    </message>
    <message>
        <source>다시 시도하려면 사유가 필요합니다.</source>
        <translation>A reason is needed to retry.</translation>
    </message>
    <message>
        <source>결과를 CSV로 저장</source>
        <translation>Save the results as CSV</translation>
    </message>
    <message>
        <source>CSV 파일 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>%1건을 저장했습니다: %2</source>
        <translation>Saved %1 rows: %2</translation>
    </message>
    <message>
        <source>계속</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>%1행: </source>
        <translation>line %1: </translation>
    </message>
</context>
<context>
    <name>BillingTexts</name>
    <message>
        <source>계산대가 아직 열리지 않았습니다. 잠시 후 다시 시도하세요.</source>
        <translation>The till is not open yet. Try again in a moment.</translation>
    </message>
    <message>
        <source>PortOne 예약으로 결제하는 계획입니다. 바꾸려면 먼저 예약을 취소하세요.</source>
        <translation>PortOne charges this plan by schedule. Revoke the schedules before changing it.</translation>
    </message>
    <message>
        <source>PortOne V2에는 예약 결제가 없습니다. 이 프로그램의 정기 결제를 쓰세요.</source>
        <translation>PortOne V2 has no schedules. Use this program&apos;s billing run.</translation>
    </message>
    <message>
        <source>다른 창이나 명령이 이 정기 결제를 이어서 하고 있습니다.</source>
        <translation>Another window or command is already resuming this billing run.</translation>
    </message>
    <message>
        <source>PortOne에 물어볼 수 없어 아무것도 결제하지 않았습니다: %1</source>
        <translation>PortOne could not be asked, so nothing was charged: %1</translation>
    </message>
    <message>
        <source>파일을 읽거나 쓸 수 없습니다: %1</source>
        <translation>The file cannot be read or written: %1</translation>
    </message>
    <message>
        <source>처리하지 못했습니다 (%1). 자세한 내용은 로그에 있습니다.</source>
        <translation>This could not be done (%1). The details are in the log.</translation>
    </message>
</context>
<context>
    <name>CardForm</name>
    <message>
        <source>카드 정보</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>카드번호</source>
        <translation>Card number</translation>
    </message>
    <message>
        <source>MM/YY</source>
        <translation>MM/YY</translation>
    </message>
    <message>
        <source>유효기간</source>
        <translation>Expiry</translation>
    </message>
    <message>
        <source>YYMMDD 또는 사업자번호 10자리</source>
        <translation>YYMMDD or 10-digit business number</translation>
    </message>
    <message>
        <source>생년월일</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>앞 2자리</source>
        <translation>First 2 digits</translation>
    </message>
    <message>
        <source>비밀번호</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>✓ 번호 확인</source>
        <translation>✓ Number OK</translation>
    </message>
    <message>
        <source>✕ 번호 오류</source>
        <translation>✕ Number wrong</translation>
    </message>
    <message>
        <source>사업자등록번호</source>
        <translation>Business number</translation>
    </message>
</context>
<context>
    <name>CustomerForm</name>
    <message>
        <source>고객</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>회원 이름 또는 회원번호</source>
        <translation>Member name or number</translation>
    </message>
    <message>
        <source>이름</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>이름과 카드 끝 4자리로 자동 제안</source>
        <translation>Suggested from name and last 4 digits</translation>
    </message>
    <message>
        <source>고객 ID</source>
        <translation>Customer ID</translation>
    </message>
    <message>
        <source>전화번호</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>이메일</source>
        <translation>Email</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>등록 고객</source>
        <translation>Saved customers</translation>
    </message>
    <message>
        <source>고객 ID, 이름, 전화번호, 카드 끝 4자리</source>
        <translation>ID, name, phone, last 4 digits</translation>
    </message>
    <message>
        <source>검색</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>고객 검색</source>
        <translation>Search customers</translation>
    </message>
    <message>
        <source>새로고침</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>PortOne에서 새로고침</source>
        <translation>Refresh from PortOne</translation>
    </message>
    <message>
        <source>PortOne에서 저장된 카드 정보를 다시 불러옵니다</source>
        <translation>Loads the saved cards from PortOne again</translation>
    </message>
    <message>
        <source>등록 고객 목록</source>
        <translation>Saved customer list</translation>
    </message>
    <message>
        <source>미확인 결제 확인</source>
        <translation>Check unsettled</translation>
    </message>
    <message>
        <source>결과를 모르는 결제를 PortOne에 조회해 정리합니다 (다시 결제하지 않음)</source>
        <translation>Asks PortOne what became of charges whose result is unknown (never charges again)</translation>
    </message>
    <message>
        <source>재결제</source>
        <translation>Charge again</translation>
    </message>
    <message>
        <source>카드 삭제</source>
        <translation>Delete card</translation>
    </message>
    <message>
        <source>매장 서버 연결 끊김 — 마지막으로 불러온 목록입니다 (다른 계산대의 변경 미반영)</source>
        <translation>Store server unreachable — this is the last list it sent (other counters&apos; changes are missing)</translation>
    </message>
    <message>
        <source>재결제할 고객을 목록에서 선택하세요</source>
        <translation>Select a customer in the list to charge again</translation>
    </message>
    <message>
        <source>확인 중 — 이전 결제 결과 미확인</source>
        <translation>checking — earlier charge unsettled</translation>
    </message>
    <message>
        <source>%1명</source>
        <translation>%1 customers</translation>
    </message>
    <message>
        <source>%1 / %2명</source>
        <translation>%1 of %2 customers</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <source>고객 ID</source>
        <translation>Customer ID</translation>
    </message>
    <message>
        <source>이름</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>카드</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>카드사</source>
        <translation>Card company</translation>
    </message>
    <message>
        <source>등록</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>변경</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>최근 결제</source>
        <translation>Last charge</translation>
    </message>
    <message>
        <source>정기 결제</source>
        <translation>Billing run</translation>
    </message>
    <message>
        <source>상태</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>%1일</source>
        <translation>day %1</translation>
    </message>
    <message>
        <source>말일</source>
        <translation>last day</translation>
    </message>
    <message>
        <source>정지</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>PortOne 예약</source>
        <translation>scheduled at PortOne</translation>
    </message>
    <message>
        <source>확인 중</source>
        <translation>Checking</translation>
    </message>
</context>
<context>
    <name>DaySalesDialog</name>
    <message>
        <source>매출 내역 · 마감</source>
        <translation>Day&apos;s sales · closing</translation>
    </message>
    <message>
        <source>날짜</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>오늘</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>조회</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>결제와 환불 목록</source>
        <translation>Charges and refunds</translation>
    </message>
    <message>
        <source>시각</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>구분</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>상태</source>
        <translation>State</translation>
    </message>
    <message>
        <source>금액</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>고객 ID</source>
        <translation>Customer ID</translation>
    </message>
    <message>
        <source>주문명</source>
        <translation>Order name</translation>
    </message>
    <message>
        <source>카드</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>승인번호</source>
        <translation>Approval no.</translation>
    </message>
    <message>
        <source>주문번호</source>
        <translation>Order ID</translation>
    </message>
    <message>
        <source>목록에서 고르거나 주문번호를 입력</source>
        <translation>Choose from the list or type an order ID</translation>
    </message>
    <message>
        <source>조회할 주문번호</source>
        <translation>Order ID to look up</translation>
    </message>
    <message>
        <source>PortOne에서 조회</source>
        <translation>Look up at PortOne</translation>
    </message>
    <message>
        <source>CSV로 저장…</source>
        <translation>Save as CSV…</translation>
    </message>
    <message>
        <source>닫기</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>확인 필요 %1건: 결과를 모르는 결제입니다. 창의 &apos;미확인 결제 확인&apos;으로 PortOne에 물어 정리한 뒤 마감하세요.</source>
        <translation>%1 to check: charges whose outcome is unknown. Settle them with &apos;Check unsettled charges&apos; in the window (it asks PortOne) before closing the day.</translation>
    </message>
    <message>
        <source>이 날의 결제가 없습니다.</source>
        <translation>No charges on this day.</translation>
    </message>
    <message>
        <source>모든 결제의 결과가 확인되었습니다.</source>
        <translation>Every charge&apos;s outcome is known.</translation>
    </message>
    <message>
        <source>저장했습니다: %1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <source>매출 내역 저장</source>
        <translation>Save the day&apos;s sales</translation>
    </message>
    <message>
        <source>CSV 파일 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>1회 결제</source>
        <translation>Charge once</translation>
    </message>
    <message>
        <source>발급 + 결제</source>
        <translation>Save card + charge</translation>
    </message>
    <message>
        <source>재결제</source>
        <translation>Charge again</translation>
    </message>
    <message>
        <source>환불</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>확인 필요</source>
        <translation>To check</translation>
    </message>
    <message>
        <source>승인</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>거절</source>
        <translation>Declined</translation>
    </message>
    <message>
        <source>요청 거부</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>결제 안 됨</source>
        <translation>Not charged</translation>
    </message>
    <message>
        <source>환불됨</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <source>결제 %1건 %2 · 환불 %3건 %4 · 순매출 %5 · 거절 %6건 · 확인 필요 %7건</source>
        <translation>Charges %1: %2 · Refunds %3: %4 · Net %5 · Declined %6 · To check %7</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>수기결제 POS</source>
        <translation>Key-in POS</translation>
    </message>
    <message>
        <source>입력이 없어 카드 정보를 지웠습니다</source>
        <translation>Card details cleared after a minute without typing</translation>
    </message>
    <message>
        <source>빌링키 발급</source>
        <translation>Issue key</translation>
    </message>
    <message>
        <source>1회 결제</source>
        <translation>Charge once</translation>
    </message>
    <message>
        <source>발급 + 결제</source>
        <translation>Issue + charge</translation>
    </message>
    <message>
        <source>결제하지 않았습니다</source>
        <translation>Not charged</translation>
    </message>
    <message>
        <source>처리 중</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>영수증을 인쇄했습니다</source>
        <translation>Receipt printed</translation>
    </message>
    <message>
        <source>영수증을 인쇄하지 않았습니다</source>
        <translation>Receipt not printed</translation>
    </message>
    <message>
        <source>먼저 목록에서 고객을 선택하세요</source>
        <translation>Choose a customer in the list first</translation>
    </message>
    <message>
        <source>고객 정보를 불러오는 중</source>
        <translation>Loading customers</translation>
    </message>
    <message>
        <source>이 고객의 결제가 지금 처리 중입니다 (다른 창·계산대·명령). 결과가 나온 뒤 다시 확인하세요.</source>
        <translation>A charge to this customer is being processed right now (another window, counter or command). Check again once its outcome is known.</translation>
    </message>
    <message>
        <source>이 고객의 이전 결제입니다.</source>
        <translation>This is the customer&apos;s earlier charge.</translation>
    </message>
    <message>
        <source>수기결제 POS — 실결제</source>
        <translation>Key-in POS — Live</translation>
    </message>
    <message>
        <source>수기결제 POS — 연습 모드</source>
        <translation>Key-in POS — Sandbox</translation>
    </message>
    <message>
        <source>준비됨</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>고객 정보를 새로 불러왔습니다</source>
        <translation>Customers refreshed</translation>
    </message>
    <message>
        <source>설정 문제로 결제를 멈췄습니다: %1</source>
        <translation>Charging stopped by a settings problem: %1</translation>
    </message>
    <message>
        <source>결제를 멈췄습니다: %1</source>
        <translation>Charging stopped: %1</translation>
    </message>
</context>
<context>
    <name>ManagerApprovalDialog</name>
    <message>
        <source>관리자 승인</source>
        <translation>Manager approval</translation>
    </message>
    <message>
        <source>%1에는 관리자 승인이 필요합니다. 관리자가 이름을 고르고 PIN을 입력하세요.</source>
        <translation>%1 needs a manager&apos;s approval. A manager chooses their name and enters their PIN.</translation>
    </message>
    <message>
        <source>승인</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>취소</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ModeBanner</name>
    <message>
        <source>PortOne 연결 준비 중…</source>
        <translation>Connecting to PortOne…</translation>
    </message>
    <message>
        <source>실결제 모드 — 실제로 카드가 결제됩니다</source>
        <translation>Live — cards are really charged</translation>
    </message>
    <message>
        <source>연습 모드 — 실제 결제가 되지 않습니다</source>
        <translation>Sandbox — no real charges</translation>
    </message>
    <message>
        <source>PortOne에 연결할 수 없습니다: %1</source>
        <translation>Cannot reach PortOne: %1</translation>
    </message>
    <message>
        <source>매장 서버에 연결할 수 없습니다 (%1) — 결제를 멈췄습니다. 목록은 마지막으로 불러온 상태입니다. 서버가 돌아오면 저절로 다시 시작합니다.</source>
        <translation>The store server cannot be reached (%1) — charging stopped. The list is the last one loaded. Everything resumes by itself when the server is back.</translation>
    </message>
    <message>
        <source>로그인: %1</source>
        <translation>Signed in: %1</translation>
    </message>
</context>
<context>
    <name>PinCheckDialog</name>
    <message>
        <source>이름</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
</context>
<context>
    <name>PlanEditor</name>
    <message>
        <source>정기 결제 금액</source>
        <translation>Plan amount</translation>
    </message>
    <message>
        <source>주문명 예: 월 회비</source>
        <translation>Order name, e.g. Monthly fee</translation>
    </message>
    <message>
        <source>정기 결제 주문명</source>
        <translation>Plan order name</translation>
    </message>
    <message>
        <source>결제일</source>
        <translation>Billing day</translation>
    </message>
    <message>
        <source>%1일</source>
        <translation>day %1</translation>
    </message>
    <message>
        <source>말일</source>
        <translation>last day</translation>
    </message>
    <message>
        <source>사용</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>끄면 일시 정지: 정기 결제에서 빠집니다</source>
        <translation>Off: paused, left out of billing runs</translation>
    </message>
    <message>
        <source>정기 결제 사용</source>
        <translation>Plan active</translation>
    </message>
    <message>
        <source>시작 월 (선택)</source>
        <translation>Start month (optional)</translation>
    </message>
    <message>
        <source>시작 월</source>
        <translation>Start month</translation>
    </message>
    <message>
        <source>종료 월 (선택)</source>
        <translation>End month (optional)</translation>
    </message>
    <message>
        <source>종료 월</source>
        <translation>End month</translation>
    </message>
    <message>
        <source>금액</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>매월</source>
        <translation>Monthly on</translation>
    </message>
    <message>
        <source>계획 저장</source>
        <translation>Save plan</translation>
    </message>
    <message>
        <source>계획 삭제</source>
        <translation>Remove plan</translation>
    </message>
    <message>
        <source>CSV 가져오기…</source>
        <translation>Import CSV…</translation>
    </message>
    <message>
        <source>여러 회원의 계획을 CSV(customer_uid,amount,name,day)에서 가져옵니다</source>
        <translation>Import many members&apos; plans from a CSV (customer_uid,amount,name,day)</translation>
    </message>
    <message>
        <source>PortOne 예약 등록</source>
        <translation>Schedule at PortOne</translation>
    </message>
    <message>
        <source>다음 3개월 결제를 PortOne에 예약합니다: 이 PC가 꺼져 있어도 PortOne이 결제합니다</source>
        <translation>Schedules the next 3 months at PortOne: PortOne charges even when this PC is off</translation>
    </message>
    <message>
        <source>예약 취소</source>
        <translation>Revoke schedules</translation>
    </message>
    <message>
        <source>계획 편집</source>
        <translation>Edit plan</translation>
    </message>
    <message>
        <source>정기 결제 계획 편집</source>
        <translation>Edit the monthly plan</translation>
    </message>
    <message>
        <source>정기 결제</source>
        <translation>Billing run</translation>
    </message>
    <message>
        <source>회원을 목록에서 선택하세요.</source>
        <translation>Select a member in the list.</translation>
    </message>
    <message>
        <source>%1: 정기 결제 계획이 없습니다.</source>
        <translation>%1: no monthly plan.</translation>
    </message>
    <message>
        <source>저장하지 못했습니다: 이 회원은 등록 고객 목록에 없습니다.</source>
        <translation>Not saved: this member is not in the customer list.</translation>
    </message>
    <message>
        <source>저장했습니다.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>확인 중</source>
        <translation>checking</translation>
    </message>
    <message>
        <source>예정</source>
        <translation>scheduled</translation>
    </message>
    <message>
        <source>결제됨</source>
        <translation>paid</translation>
    </message>
    <message>
        <source>취소됨</source>
        <translation>revoked</translation>
    </message>
    <message>
        <source>등록 안 됨</source>
        <translation>not registered</translation>
    </message>
    <message>
        <source>거절</source>
        <translation>declined</translation>
    </message>
    <message>
        <source>PortOne 예약: </source>
        <translation>At PortOne: </translation>
    </message>
    <message>
        <source>저장하는 중</source>
        <translation>Saving</translation>
    </message>
    <message>
        <source>먼저 사용 중인 계획을 저장하세요.</source>
        <translation>Save an active plan first.</translation>
    </message>
    <message>
        <source>%1: 매월 %2 %3원을 다음 3개월 PortOne에 예약합니다. 이 PC가 꺼져 있어도 PortOne이 결제하고, 이 프로그램의 정기 결제에서는 빠집니다.</source>
        <translation>%1: %3 won each month on %2 is scheduled at PortOne for the next 3 months. PortOne charges it even when this PC is off, and it leaves this program&apos;s billing runs.</translation>
    </message>
    <message>
        <source>예약 등록</source>
        <translation>Schedule</translation>
    </message>
    <message>
        <source>PortOne에 예약하는 중</source>
        <translation>Scheduling at PortOne</translation>
    </message>
    <message>
        <source>PortOne 예약을 취소하는 중</source>
        <translation>Revoking the schedules at PortOne</translation>
    </message>
    <message>
        <source>삭제하는 중</source>
        <translation>Removing</translation>
    </message>
    <message>
        <source>정기 결제 계획 가져오기</source>
        <translation>Import monthly plans</translation>
    </message>
    <message>
        <source>CSV 파일 (*.csv);;모든 파일 (*)</source>
        <translation>CSV files (*.csv);;All files (*)</translation>
    </message>
    <message>
        <source>계획 파일을 읽는 중</source>
        <translation>Reading the plan file</translation>
    </message>
    <message>
        <source>%1: 매월 %2 %3원 (%4)</source>
        <translation>%1: every month on the %2, %3 won (%4)</translation>
    </message>
    <message>
        <source>일시 정지</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>끝남 (종료 월이 지남)</source>
        <translation>ended (past its end month)</translation>
    </message>
    <message>
        <source>다음 결제일 %1</source>
        <translation>next charge %1</translation>
    </message>
    <message>
        <source>PortOne 예약으로 결제</source>
        <translation>charged by PortOne&apos;s schedules</translation>
    </message>
    <message>
        <source>주문명</source>
        <translation>Order name</translation>
    </message>
    <message>
        <source>기간</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>예약 다시 확인</source>
        <translation>Check the schedules again</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <source>결과</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>지금 PortOne에 확인</source>
        <translation>Ask PortOne now</translation>
    </message>
    <message>
        <source>환불</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>영수증 인쇄</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <source>대기 중</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>카드 정보를 입력하고 작업을 선택하세요.</source>
        <translation>Enter the card and choose an action.</translation>
    </message>
    <message>
        <source>PortOne 응답을 기다리는 중입니다…</source>
        <translation>Waiting for PortOne…</translation>
    </message>
    <message>
        <source>질문에 답해 주세요</source>
        <translation>Please answer the question</translation>
    </message>
    <message>
        <source>답을 기다리는 중입니다. 아직 아무것도 보내지 않았습니다.</source>
        <translation>Waiting for your answer. Nothing has been sent yet.</translation>
    </message>
    <message>
        <source>%1 — PortOne에서 조회한 결제입니다. 지금 새로 결제한 것이 아닙니다.</source>
        <translation>%1 — a payment looked up at PortOne. Nothing was charged just now.</translation>
    </message>
    <message>
        <source>조회 결과: 결제 승인</source>
        <translation>Looked up: approved</translation>
    </message>
    <message>
        <source>결제 승인</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>고객</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>카드 저장</source>
        <translation>Card saved as</translation>
    </message>
    <message>
        <source>일시불</source>
        <translation>Lump sum</translation>
    </message>
    <message numerus="yes">
        <source>%n개월</source>
        <translation>
            <numerusform>%n month</numerusform>
            <numerusform>%n months</numerusform>
        </translation>
    </message>
    <message>
        <source>승인번호</source>
        <translation>Approval no.</translation>
    </message>
    <message>
        <source>카드</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>승인 시각</source>
        <translation>Approved at</translation>
    </message>
    <message>
        <source>주문번호</source>
        <translation>Order ID</translation>
    </message>
    <message>
        <source>영수증 보기</source>
        <translation>View receipt</translation>
    </message>
    <message>
        <source>환불 완료</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <source>환불 금액</source>
        <translation>Refunded amount</translation>
    </message>
    <message>
        <source>총 환불 금액</source>
        <translation>Refunded in total</translation>
    </message>
    <message>
        <source>남은 환불 가능 금액</source>
        <translation>Still refundable</translation>
    </message>
    <message>
        <source>환불 시각</source>
        <translation>Refunded at</translation>
    </message>
    <message>
        <source>환불이 되었는지 아직 알 수 없습니다. 다시 환불하지 말고 &apos;미확인 결제 확인&apos;으로 확인하세요.</source>
        <translation>Whether the refund went through is not known yet. Do not refund again; use &apos;Check unsettled charges&apos; to find out.</translation>
    </message>
    <message>
        <source>환불 결과 확인 필요</source>
        <translation>Refund outcome to check</translation>
    </message>
    <message>
        <source>카드사가 사유를 알려주지 않았습니다.</source>
        <translation>The card company gave no reason.</translation>
    </message>
    <message>
        <source>카드사 거절</source>
        <translation>Declined by the card company</translation>
    </message>
    <message>
        <source>금액</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>거절 시각</source>
        <translation>Declined at</translation>
    </message>
    <message>
        <source>환불 거부 — 환불되지 않았습니다</source>
        <translation>Refused — nothing was refunded</translation>
    </message>
    <message>
        <source>요청 거부 — 결제되지 않았습니다</source>
        <translation>Refused — nothing was charged</translation>
    </message>
    <message>
        <source>결제가 되었는지 아직 알 수 없습니다. 다시 결제하지 말고 아래 버튼으로 확인하세요.</source>
        <translation>It is not yet known whether this was charged. Do not charge again; ask PortOne with the button below.</translation>
    </message>
    <message>
        <source>결과 확인 필요</source>
        <translation>Outcome unknown</translation>
    </message>
    <message>
        <source>카드 등록 완료 (빌링키 발급)</source>
        <translation>Card saved (billing key issued)</translation>
    </message>
    <message>
        <source>카드사</source>
        <translation>Card company</translation>
    </message>
    <message>
        <source>등록 시각</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <source>등록 카드 삭제 완료</source>
        <translation>Saved card deleted</translation>
    </message>
    <message>
        <source>아무것도 보내지 않았습니다.</source>
        <translation>Nothing was sent.</translation>
    </message>
    <message>
        <source>PortOne의 결제 금액이 그대로입니다. 환불되지 않았습니다.</source>
        <translation>PortOne&apos;s payment is unchanged. Nothing was refunded.</translation>
    </message>
    <message>
        <source>입력을 확인하세요 — 아무것도 보내지 않았습니다</source>
        <translation>Check the input — nothing was sent</translation>
    </message>
    <message>
        <source>PortOne이나 다른 창·계산대에서 아직 처리 중일 수 있습니다. 잠시 후 다시 확인하세요.</source>
        <translation>PortOne, or another window or counter, may still be working on it. Check again in a moment.</translation>
    </message>
    <message>
        <source>PortOne에 결제 기록이 없습니다. 결제되지 않았습니다.</source>
        <translation>PortOne has no payment for this order: nothing was charged.</translation>
    </message>
    <message>
        <source>이미 결제된 주문입니다 (같은 주문번호).</source>
        <translation>This order was already paid (same order id).</translation>
    </message>
    <message>
        <source>PortOne이 이미 결제되었다고 답했지만 결제 내역을 아직 보여주지 않습니다.</source>
        <translation>PortOne says this order is already paid but does not show the payment yet.</translation>
    </message>
    <message>
        <source>이 주문번호는 다른 결제에 이미 쓰였습니다.</source>
        <translation>This order id was already used for a different charge.</translation>
    </message>
    <message>
        <source>이 주문번호의 결제 기록이 없습니다 (이 계산대와 PortOne 모두).</source>
        <translation>There is no payment with this order id (neither at this counter nor at PortOne).</translation>
    </message>
</context>
<context>
    <name>RunTableModel</name>
    <message>
        <source>상태</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>회원</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>고객 ID</source>
        <translation>Customer ID</translation>
    </message>
    <message>
        <source>금액</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>주문명</source>
        <translation>Order name</translation>
    </message>
    <message>
        <source>기간</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>내용</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>주문번호</source>
        <translation>Order id</translation>
    </message>
    <message>
        <source>결제 예정</source>
        <translation>to charge</translation>
    </message>
    <message>
        <source>확인 후 결제</source>
        <translation>checking first</translation>
    </message>
    <message>
        <source>결제됨</source>
        <translation>paid</translation>
    </message>
    <message>
        <source>거절</source>
        <translation>declined</translation>
    </message>
    <message>
        <source>거부</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>확인 필요</source>
        <translation>to check</translation>
    </message>
    <message>
        <source>보류</source>
        <translation>held</translation>
    </message>
    <message>
        <source>중복 청구</source>
        <translation>repeat</translation>
    </message>
    <message>
        <source>보내지 않음</source>
        <translation>not sent</translation>
    </message>
    <message>
        <source>등록 안 됨</source>
        <translation>not registered</translation>
    </message>
    <message>
        <source>이미 처리</source>
        <translation>done before</translation>
    </message>
    <message>
        <source>이미 결제</source>
        <translation>paid before</translation>
    </message>
    <message>
        <source>이전 거절</source>
        <translation>declined before</translation>
    </message>
    <message>
        <source>이전 거부</source>
        <translation>refused before</translation>
    </message>
    <message>
        <source>미확인 결제</source>
        <translation>unsettled charge</translation>
    </message>
    <message>
        <source>이번 달 결제됨</source>
        <translation>charged this month</translation>
    </message>
    <message>
        <source>재시도 끝</source>
        <translation>no more retries</translation>
    </message>
    <message>
        <source>이 회원의 다른 결제 결과를 PortOne에 먼저 확인하는 중입니다.</source>
        <translation>Checking this member&apos;s other charge with PortOne first.</translation>
    </message>
    <message>
        <source>결과를 아직 모릅니다. 다시 결제하지 말고 &apos;미확인 결제 확인&apos;으로 확인하세요.</source>
        <translation>The outcome is not known yet. Do not charge again; check it with &apos;Check unsettled charges&apos;.</translation>
    </message>
    <message>
        <source>이 회원의 이전 결제 결과가 확인되지 않아 보내지 않았습니다.</source>
        <translation>Not sent: this member&apos;s earlier charge is not settled.</translation>
    </message>
    <message>
        <source>이번 기간에 같은 금액을 다른 청구로 이미 결제했습니다. 보내지 않았습니다.</source>
        <translation>Not sent: another bill already charged the same amount in this period.</translation>
    </message>
    <message>
        <source>정기 결제를 멈춰서 보내지 않았습니다.</source>
        <translation>Not sent: the run was stopped.</translation>
    </message>
    <message>
        <source>이번 기간에 이미 결제했습니다.</source>
        <translation>Already paid in this period.</translation>
    </message>
    <message>
        <source>PortOne에 등록된 카드가 없습니다.</source>
        <translation>PortOne has no saved card for this member.</translation>
    </message>
    <message>
        <source>이 회원의 이전 결제 결과를 아직 모릅니다.</source>
        <translation>This member&apos;s earlier charge is not settled yet.</translation>
    </message>
    <message>
        <source>이번 기간에 같은 금액을 다른 청구로 이미 결제했습니다.</source>
        <translation>Another bill already charged the same amount in this period.</translation>
    </message>
    <message>
        <source>이번 달 정기 결제를 이미 했습니다 (그 뒤 금액이나 주문명이 바뀜).</source>
        <translation>This month&apos;s plan charge was already made (its amount or name changed since).</translation>
    </message>
    <message>
        <source>거절된 청구를 더 다시 시도할 수 없습니다.</source>
        <translation>This declined row cannot be retried any more.</translation>
    </message>
    <message>
        <source>거절된 %1 을 다시 시도</source>
        <translation>retry of declined %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>설정</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>모드</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>샌드박스 (연습, 실제 결제 없음)</source>
        <translation>Sandbox (training, no real charges)</translation>
    </message>
    <message>
        <source>실거래 (PortOne, 실제 카드 결제)</source>
        <translation>Live (PortOne, real card charges)</translation>
    </message>
    <message>
        <source>PortOne API</source>
        <translation>PortOne API</translation>
    </message>
    <message>
        <source>V1 (아임포트 REST API 키)</source>
        <translation>V1 (i&apos;mport REST API key)</translation>
    </message>
    <message>
        <source>V2 (PortOne API 시크릿)</source>
        <translation>V2 (PortOne API secret)</translation>
    </message>
    <message>
        <source>PortOne REST API 키</source>
        <translation>PortOne REST API keys</translation>
    </message>
    <message>
        <source>키체인 확인 중…</source>
        <translation>Checking the keychain…</translation>
    </message>
    <message>
        <source>REST API 키 (imp_key)</source>
        <translation>REST API key (imp_key)</translation>
    </message>
    <message>
        <source>REST API 시크릿 (imp_secret)</source>
        <translation>REST API secret (imp_secret)</translation>
    </message>
    <message>
        <source>저장된 키 삭제</source>
        <translation>Delete saved keys</translation>
    </message>
    <message>
        <source>연결 확인</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>결제 설정</source>
        <translation>Payment settings</translation>
    </message>
    <message>
        <source>예: nice, kcp.A52CY (비우면 PortOne 기본 PG)</source>
        <translation>e.g. nice, kcp.A52CY (empty: PortOne&apos;s default PG)</translation>
    </message>
    <message>
        <source>선택 사항</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>방화벽에서 고정 IP만 허용하는 매장은 https://static-api.iamport.kr</source>
        <translation>Shops whose firewall allows fixed IPs only: https://static-api.iamport.kr</translation>
    </message>
    <message>
        <source>PG</source>
        <translation>PG</translation>
    </message>
    <message>
        <source>채널 키</source>
        <translation>Channel key</translation>
    </message>
    <message>
        <source>수기결제는 PG로만 보낼 곳이 정해지고, 채널 키는 카드 등록에만 쓰입니다. PG가 여러 개인 가맹점은 PG를 꼭 입력하세요.</source>
        <translation>Key-in charges are routed by the PG alone; the channel key is used only to save cards. A merchant with several PGs must enter the PG.</translation>
    </message>
    <message>
        <source>단말기 번호</source>
        <translation>Terminal ID</translation>
    </message>
    <message>
        <source>기본 주문명</source>
        <translation>Default order name</translation>
    </message>
    <message>
        <source>API 주소</source>
        <translation>API host</translation>
    </message>
    <message>
        <source>언어 (다시 시작하면 적용)</source>
        <translation>Language (applies after a restart)</translation>
    </message>
    <message>
        <source>PortOne에 동시에 보내는 정기 결제 수. 몇이든 초당 50건을 넘지 않습니다.</source>
        <translation>How many billing-run charges are sent to PortOne at once. Whatever the number, never more than 50 a second.</translation>
    </message>
    <message>
        <source>정기 결제 동시 처리</source>
        <translation>Billing run: charges at once</translation>
    </message>
    <message>
        <source>영수증</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>영수증에 인쇄할 이름 (선택 사항)</source>
        <translation>Name printed on receipts (optional)</translation>
    </message>
    <message>
        <source>예: 123-45-67890 (선택 사항)</source>
        <translation>e.g. 123-45-67890 (optional)</translation>
    </message>
    <message>
        <source>상호</source>
        <translation>Shop name</translation>
    </message>
    <message>
        <source>사업자등록번호</source>
        <translation>Business registration no.</translation>
    </message>
    <message>
        <source>키체인: %s</source>
        <translation>Keychain: %s</translation>
    </message>
    <message>
        <source>저장됨 — 바꾸려면 새 값을 입력하세요</source>
        <translation>Saved — type a new value to replace it</translation>
    </message>
    <message>
        <source>저장하면 키체인에서 삭제됩니다</source>
        <translation>Deleted from the keychain when you save</translation>
    </message>
    <message>
        <source>입력하세요</source>
        <translation>Enter a value</translation>
    </message>
    <message>
        <source>API 키와 시크릿을 둘 다 입력하세요.</source>
        <translation>Enter both the API key and the secret.</translation>
    </message>
    <message>
        <source>API 키와 시크릿은 한 줄로 입력하세요.</source>
        <translation>Enter the API key and the secret on one line each.</translation>
    </message>
    <message>
        <source>API 키와 시크릿을 먼저 입력하세요.</source>
        <translation>Enter the API key and the secret first.</translation>
    </message>
    <message>
        <source>PortOne에 연결하는 중…</source>
        <translation>Connecting to PortOne…</translation>
    </message>
    <message>
        <source>V2 API 시크릿을 먼저 입력하세요.</source>
        <translation>Enter the V2 API secret first.</translation>
    </message>
    <message>
        <source>V2 실거래 모드에는 V2 API 시크릿이 필요합니다.</source>
        <translation>Live mode on V2 needs the V2 API secret.</translation>
    </message>
    <message>
        <source>실거래 모드에는 API 키와 시크릿이 필요합니다.</source>
        <translation>Live mode needs the API key and the secret.</translation>
    </message>
    <message>
        <source>키체인을 쓸 수 없어 API 키를 저장할 수 없습니다.</source>
        <translation>The keychain is not available, so the API keys cannot be saved.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>로그인</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>이름을 고르고 PIN을 입력하세요.</source>
        <translation>Choose your name and enter your PIN.</translation>
    </message>
    <message>
        <source>끝내기</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>직원</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>캐셔</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>관리자</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>이름</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>역할</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>선택한 직원 삭제</source>
        <translation>Remove the selected person</translation>
    </message>
    <message>
        <source>직원 추가 · PIN 변경</source>
        <translation>Add staff · change a PIN</translation>
    </message>
    <message>
        <source>PIN (숫자 4~8자리)</source>
        <translation>PIN (4-8 digits)</translation>
    </message>
    <message>
        <source>PIN 확인</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <source>추가</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>선택한 직원의 PIN 변경</source>
        <translation>Change the selected person&apos;s PIN</translation>
    </message>
    <message>
        <source>자동 잠금</source>
        <translation>Idle lock</translation>
    </message>
    <message>
        <source>분 (0 = 끄기)</source>
        <translation> min (0 = off)</translation>
    </message>
    <message>
        <source>저장</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>닫기</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>%1 님을 추가했습니다.</source>
        <translation>Added %1.</translation>
    </message>
    <message>
        <source>PIN을 바꿀 직원을 목록에서 고르세요.</source>
        <translation>Choose the person whose PIN to change in the list.</translation>
    </message>
    <message>
        <source>%1 님의 PIN을 바꿨습니다.</source>
        <translation>Changed %1&apos;s PIN.</translation>
    </message>
    <message>
        <source>%1 님을 직원 목록에서 삭제할까요?</source>
        <translation>Remove %1 from the staff?</translation>
    </message>
    <message>
        <source>직원 삭제</source>
        <translation>Remove staff</translation>
    </message>
    <message>
        <source>삭제</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>%1 님을 삭제했습니다.</source>
        <translation>Removed %1.</translation>
    </message>
    <message>
        <source>자동 잠금을 저장했습니다.</source>
        <translation>Idle lock saved.</translation>
    </message>
</context>
<context>
    <name>StoreServerBox</name>
    <message>
        <source>매장 서버 (여러 계산대 공유)</source>
        <translation>Store server (shared by several counters)</translation>
    </message>
    <message>
        <source>비워 두면 이 계산대만의 기록을 씁니다. 계산대가 여러 대면 모두 같은 서버를 입력하세요.</source>
        <translation>Leave empty for this counter&apos;s own records. With several counters, enter the same server on each.</translation>
    </message>
    <message>
        <source>예: 10.0.0.5</source>
        <translation>e.g. 10.0.0.5</translation>
    </message>
    <message>
        <source>예: shop</source>
        <translation>e.g. shop</translation>
    </message>
    <message>
        <source>예: pos</source>
        <translation>e.g. pos</translation>
    </message>
    <message>
        <source>서버 주소</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>포트</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>데이터베이스</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>사용자</source>
        <translation>User</translation>
    </message>
    <message>
        <source>TLS 모드</source>
        <translation>TLS mode</translation>
    </message>
    <message>
        <source>비밀번호 (키체인에 저장)</source>
        <translation>Password (kept in the keychain)</translation>
    </message>
    <message>
        <source>서버 연결 확인</source>
        <translation>Check the server</translation>
    </message>
    <message>
        <source>매장 서버에 연결하는 중…</source>
        <translation>Connecting to the store server…</translation>
    </message>
</context>
<context>
    <name>V2Fields</name>
    <message>
        <source>PortOne V2 API</source>
        <translation>PortOne V2 API</translation>
    </message>
    <message>
        <source>V2 API 시크릿</source>
        <translation>V2 API secret</translation>
    </message>
    <message>
        <source>예: store-4f1a… (선택 사항)</source>
        <translation>e.g. store-4f1a… (optional)</translation>
    </message>
    <message>
        <source>수기결제 채널의 채널 키</source>
        <translation>The key-in channel&apos;s channel key</translation>
    </message>
    <message>
        <source>상점 아이디</source>
        <translation>Store id</translation>
    </message>
    <message>
        <source>채널 키 (수기결제)</source>
        <translation>Channel key (key-in)</translation>
    </message>
    <message>
        <source>V2는 채널 키로 보낼 곳을 정합니다: 카드 등록과 수기결제 모두 이 채널로 갑니다. 시크릿은 키체인에만 저장됩니다.</source>
        <translation>V2 routes by channel key: saving cards and key-in charges both go to this channel. The secret is kept only in the keychain.</translation>
    </message>
    <message>
        <source>저장됨 — 바꾸려면 새 값을 입력하세요</source>
        <translation>Saved — type a new value to replace it</translation>
    </message>
    <message>
        <source>저장하면 키체인에서 삭제됩니다</source>
        <translation>Will be removed from the keychain on Save</translation>
    </message>
    <message>
        <source>입력하세요</source>
        <translation>Enter it</translation>
    </message>
    <message>
        <source>V2 API 시크릿은 한 줄로 입력하세요.</source>
        <translation>Enter the V2 API secret on one line.</translation>
    </message>
</context>
<context>
    <name>audit_view</name>
    <message>
        <source>로그인</source>
        <translation>Sign-in</translation>
    </message>
    <message>
        <source>로그아웃</source>
        <translation>Sign-out</translation>
    </message>
    <message>
        <source>잠금</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>PIN 틀림</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <source>관리자 승인</source>
        <translation>Approval</translation>
    </message>
    <message>
        <source>승인 거절</source>
        <translation>Approval refused</translation>
    </message>
    <message>
        <source>결제</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>결제 결과 확인</source>
        <translation>Charge settled</translation>
    </message>
    <message>
        <source>환불</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>카드 등록</source>
        <translation>Card saved</translation>
    </message>
    <message>
        <source>카드 삭제</source>
        <translation>Card deleted</translation>
    </message>
    <message>
        <source>확인 중 결제 진행</source>
        <translation>Guard overridden</translation>
    </message>
    <message>
        <source>설정 변경</source>
        <translation>Settings changed</translation>
    </message>
    <message>
        <source>API 키 변경</source>
        <translation>API keys changed</translation>
    </message>
    <message>
        <source>직원 추가</source>
        <translation>Staff added</translation>
    </message>
    <message>
        <source>직원 삭제</source>
        <translation>Staff removed</translation>
    </message>
    <message>
        <source>PIN 변경</source>
        <translation>PIN changed</translation>
    </message>
    <message>
        <source>직원 설정 변경</source>
        <translation>Staff settings changed</translation>
    </message>
    <message>
        <source>일괄 결제 시작</source>
        <translation>Billing run started</translation>
    </message>
    <message>
        <source>일괄 결제 멈춤</source>
        <translation>Billing run paused</translation>
    </message>
    <message>
        <source>일괄 결제 끝</source>
        <translation>Billing run ended</translation>
    </message>
    <message>
        <source>내보내기</source>
        <translation>Export</translation>
    </message>
</context>
<context>
    <name>confirm</name>
    <message>
        <source>취소</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>%1개월 할부</source>
        <translation>%1 monthly instalments</translation>
    </message>
    <message>
        <source>일시불</source>
        <translation>Lump sum</translation>
    </message>
    <message>
        <source>이 고객의 저장된 카드로 결제합니다.</source>
        <translation>This charges the customer&apos;s saved card.</translation>
    </message>
    <message>
        <source>고객: %1 (고객 ID %2)</source>
        <translation>Customer: %1 (customer ID %2)</translation>
    </message>
    <message>
        <source>카드: %1</source>
        <translation>Card: %1</translation>
    </message>
    <message>
        <source>금액: %1 (%2)</source>
        <translation>Amount: %1 (%2)</translation>
    </message>
    <message>
        <source>주문명: %1</source>
        <translation>Order name: %1</translation>
    </message>
    <message>
        <source>재결제 확인</source>
        <translation>Charge again?</translation>
    </message>
    <message>
        <source>%1 결제</source>
        <translation>Charge %1</translation>
    </message>
    <message>
        <source>상호·사업자등록번호 없음</source>
        <translation>No shop name or business number</translation>
    </message>
    <message>
        <source>상호 또는 사업자등록번호가 설정되지 않아 영수증에 나오지 않습니다. 설정 → PortOne 연결 설정…에서 입력할 수 있습니다. 그래도 인쇄할까요?</source>
        <translation>The shop name or business registration number is not set, so the receipt will not show it. You can enter them in Settings → PortOne connection settings…. Print anyway?</translation>
    </message>
    <message>
        <source>그래도 인쇄</source>
        <translation>Print anyway</translation>
    </message>
    <message>
        <source>저장된 카드 교체</source>
        <translation>Replace saved card</translation>
    </message>
    <message>
        <source>고객 ID %1에 이미 저장된 카드가 있습니다. 새 카드로 교체할까요?</source>
        <translation>Customer ID %1 already has a saved card. Replace it with the new card?</translation>
    </message>
    <message>
        <source>교체</source>
        <translation>Replace</translation>
    </message>
    <message>
        <source>등록 카드 삭제</source>
        <translation>Delete saved card</translation>
    </message>
    <message>
        <source>고객 ID %1의 빌링키를 삭제합니다. 이후 재결제할 수 없습니다.</source>
        <translation>This deletes the billing key of customer ID %1. It cannot be charged again afterwards.</translation>
    </message>
    <message>
        <source>삭제</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>빌링키 발급 중</source>
        <translation>Issuing billing key</translation>
    </message>
    <message>
        <source>결제 중</source>
        <translation>Charging</translation>
    </message>
    <message>
        <source>빌링키 발급 및 결제 중</source>
        <translation>Issuing billing key and charging</translation>
    </message>
    <message>
        <source>재결제 중</source>
        <translation>Charging again</translation>
    </message>
    <message>
        <source>빌링키 삭제 중</source>
        <translation>Deleting billing key</translation>
    </message>
    <message>
        <source>결제 전 확인 중</source>
        <translation>Checking before charging</translation>
    </message>
    <message>
        <source>이 고객의 최근 결제를 확인하는 중입니다. 아직 아무것도 보내지 않았습니다.</source>
        <translation>Checking this customer&apos;s recent charges. Nothing has been sent yet.</translation>
    </message>
    <message>
        <source>PortOne에 결제 결과를 확인하는 중</source>
        <translation>Asking PortOne for the result</translation>
    </message>
    <message>
        <source>미확인 결제를 PortOne에 확인하는 중</source>
        <translation>Asking PortOne about unsettled charges</translation>
    </message>
    <message>
        <source>환불 중</source>
        <translation>Refunding</translation>
    </message>
    <message>
        <source>매출 내역을 불러오는 중</source>
        <translation>Loading the day&apos;s sales</translation>
    </message>
    <message>
        <source>매출 내역을 저장하는 중</source>
        <translation>Saving the day&apos;s sales</translation>
    </message>
    <message>
        <source>영수증을 준비하는 중</source>
        <translation>Preparing the receipt</translation>
    </message>
</context>
<context>
    <name>editor</name>
    <message>
        <source>말일</source>
        <translation>last day</translation>
    </message>
    <message>
        <source>%1일</source>
        <translation>day %1</translation>
    </message>
</context>
<context>
    <name>guard_dialogs</name>
    <message>
        <source>확인 중인 결제가 있습니다</source>
        <translation>A charge is still being checked</translation>
    </message>
    <message>
        <source>고객 ID %1의 이전 결제 결과를 아직 확인하지 못했습니다. 먼저 &apos;미확인 결제 확인&apos;으로 확인하세요. 그래도 결제하려면 관리자 사유를 입력하세요.</source>
        <translation>The result of an earlier charge to customer ID %1 is not known yet. Use &apos;Check unsettled charges&apos; first. To charge anyway, a manager must enter a reason.</translation>
    </message>
    <message>
        <source>관리자 사유 (예: 카드사에 결제 없음 확인)</source>
        <translation>Manager&apos;s reason (e.g. card company confirmed no charge)</translation>
    </message>
    <message>
        <source>관리자 사유</source>
        <translation>Manager&apos;s reason</translation>
    </message>
    <message>
        <source>사유 기록 후 결제</source>
        <translation>Record reason and charge</translation>
    </message>
    <message>
        <source>취소</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>방금(%2) 계산대 %5에서 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 결제할까요?</source>
        <translation>Counter %5 charged customer ID %3 the same amount, %4, just now (%2). Charge again?</translation>
    </message>
    <message>
        <source>방금(%2) 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 결제할까요?</source>
        <translation>Customer ID %3 was charged the same amount, %4, just now (%2). Charge again?</translation>
    </message>
    <message>
        <source>%1분 전(%2) 계산대 %5에서 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 결제할까요?</source>
        <translation>Counter %5 charged customer ID %3 the same amount, %4, %1 min ago (%2). Charge again?</translation>
    </message>
    <message>
        <source>%1분 전(%2)에 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 결제할까요?</source>
        <translation>Customer ID %3 was charged the same amount, %4, %1 min ago (%2). Charge again?</translation>
    </message>
    <message>
        <source>같은 금액 재결제</source>
        <translation>Same amount again</translation>
    </message>
    <message>
        <source>한 번 더 결제</source>
        <translation>Charge again</translation>
    </message>
    <message>
        <source>미확인 결제를 확인하지 못했습니다: %1</source>
        <translation>Could not check unsettled charges: %1</translation>
    </message>
    <message>
        <source>미확인 결제가 없습니다</source>
        <translation>No unsettled charges</translation>
    </message>
    <message>
        <source>미확인 결제 %1건 확인 — %2건은 아직 확인 중</source>
        <translation>Checked %1 unsettled charge(s) — %2 still being checked</translation>
    </message>
    <message>
        <source>미확인 결제 %1건 확인 완료</source>
        <translation>Checked %1 unsettled charge(s)</translation>
    </message>
</context>
<context>
    <name>menus</name>
    <message>
        <source>매출</source>
        <translation>Sales</translation>
    </message>
    <message>
        <source>매출 내역 · 마감…</source>
        <translation>Day&apos;s sales · closing…</translation>
    </message>
    <message>
        <source>설정</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>PortOne 연결 설정…</source>
        <translation>PortOne connection…</translation>
    </message>
    <message>
        <source>끝내기</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>저장했습니다. 다시 시작하면 적용됩니다.</source>
        <translation>Saved. It applies from the next start.</translation>
    </message>
</context>
<context>
    <name>receipt</name>
    <message>
        <source>카드 취소전표</source>
        <translation>Card refund slip</translation>
    </message>
    <message>
        <source>카드 매출전표</source>
        <translation>Card sales slip</translation>
    </message>
    <message>
        <source>연습 모드 — 실제 결제가 아닙니다</source>
        <translation>Sandbox — not a real payment</translation>
    </message>
    <message>
        <source>사업자등록번호</source>
        <translation>Business registration no.</translation>
    </message>
    <message>
        <source>일시불</source>
        <translation>Lump sum</translation>
    </message>
    <message>
        <source>%1개월</source>
        <translation>%1 months</translation>
    </message>
    <message>
        <source>결제일시</source>
        <translation>Paid at</translation>
    </message>
    <message>
        <source>카드사</source>
        <translation>Card company</translation>
    </message>
    <message>
        <source>카드번호</source>
        <translation>Card number</translation>
    </message>
    <message>
        <source>할부</source>
        <translation>Instalments</translation>
    </message>
    <message>
        <source>승인번호</source>
        <translation>Approval no.</translation>
    </message>
    <message>
        <source>주문명</source>
        <translation>Order name</translation>
    </message>
    <message>
        <source>결제 금액</source>
        <translation>Amount paid</translation>
    </message>
    <message>
        <source>취소일시</source>
        <translation>Refunded at</translation>
    </message>
    <message>
        <source>취소 후 남은 금액</source>
        <translation>Left after refund</translation>
    </message>
    <message>
        <source>주문번호</source>
        <translation>Order ID</translation>
    </message>
    <message>
        <source>거래번호</source>
        <translation>Transaction ID</translation>
    </message>
    <message>
        <source>온라인 영수증</source>
        <translation>Online receipt</translation>
    </message>
    <message>
        <source>영수증 인쇄</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <source>취소 합계</source>
        <translation>Refund total</translation>
    </message>
    <message>
        <source>합계</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>공급가액</source>
        <translation>Net amount</translation>
    </message>
    <message>
        <source>부가세</source>
        <translation>VAT</translation>
    </message>
    <message>
        <source>면세</source>
        <translation>Tax-free</translation>
    </message>
</context>
<context>
    <name>refund_dialog</name>
    <message>
        <source>환불</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>환불 금액 (원)</source>
        <translation>Refund amount (KRW)</translation>
    </message>
    <message>
        <source>예: 고객 요청</source>
        <translation>e.g. customer request</translation>
    </message>
    <message>
        <source>환불 사유</source>
        <translation>Refund reason</translation>
    </message>
    <message>
        <source>환불하기</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>취소</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>%1 환불</source>
        <translation>Refund %1</translation>
    </message>
    <message>
        <source>%1을 카드 %2로 환불합니다 (주문번호 %3). 환불은 취소할 수 없습니다.</source>
        <translation>Refund %1 to card %2 (order %3). A refund cannot be undone.</translation>
    </message>
    <message>
        <source>환불 사유를 입력하세요.</source>
        <translation>Enter a reason for the refund.</translation>
    </message>
</context>
<context>
    <name>staff_gate</name>
    <message>
        <source>환불</source>
        <translation>A refund</translation>
    </message>
    <message>
        <source>저장된 카드 삭제</source>
        <translation>Deleting a saved card</translation>
    </message>
    <message>
        <source>확인 중인 결제가 있는 고객의 결제</source>
        <translation>Charging a customer with an unsettled charge</translation>
    </message>
    <message>
        <source>같은 금액 재결제</source>
        <translation>The same amount again</translation>
    </message>
    <message>
        <source>설정 변경</source>
        <translation>Changing settings</translation>
    </message>
    <message>
        <source>직원 관리</source>
        <translation>Managing staff</translation>
    </message>
    <message>
        <source>거절된 정기 결제 다시 시도</source>
        <translation>retrying declined billing-run charges</translation>
    </message>
    <message>
        <source>이 계산대의 직원 정보에는 관리자가 있는데 매장 서버의 직원 정보에는 관리자가 없습니다. &apos;pos-app db import-sqlite&apos;로 이 계산대의 직원을 매장 서버로 옮긴 뒤 시작하세요.</source>
        <translation>This counter&apos;s own staff has a manager but the store server&apos;s staff has none. Copy this counter&apos;s staff there with &apos;pos-app db import-sqlite&apos;, then start again.</translation>
    </message>
    <message>
        <source>이 컴퓨터에는 관리자가 등록되어 있었는데 직원 정보에 관리자가 없습니다 (직원 파일이 지워졌거나 바뀌었습니다). &apos;pos-app staff add 이름 --role manager&apos;로 관리자를 다시 추가한 뒤 시작하세요.</source>
        <translation>A manager was registered on this computer, but the staff list has none (the staff file was deleted or changed). Add a manager again with &apos;pos-app staff add NAME --role manager&apos;, then start again.</translation>
    </message>
    <message>
        <source>직원 정보를 읽지 못했습니다: %1</source>
        <translation>Could not read the staff: %1</translation>
    </message>
    <message>
        <source>관리자</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>캐셔</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>기록…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>직원…</source>
        <translation>Staff…</translation>
    </message>
    <message>
        <source>잠금</source>
        <translation>Lock</translation>
    </message>
</context>
<context>
    <name>storage</name>
    <message>
        <source>고객 목록</source>
        <translation>The customer list</translation>
    </message>
    <message>
        <source>거래 기록</source>
        <translation>The charge journal</translation>
    </message>
    <message>
        <source>매장 서버에 연결할 수 없습니다(%1). 결제 기록을 먼저 남길 수 없어 결제하지 않습니다. 서버와 네트워크를 확인한 뒤 다시 시도하세요.</source>
        <translation>The store server cannot be reached (%1). A charge must be recorded first, so nothing is charged. Check the server and the network, then try again.</translation>
    </message>
    <message>
        <source>매장 서버가 요청을 거부했습니다(%1): %2</source>
        <translation>The store server refused the request (%1): %2</translation>
    </message>
    <message>
        <source>%1 파일이 손상되어 열 수 없습니다(%2).</source>
        <translation>%1 file is damaged and cannot be opened (%2).</translation>
    </message>
    <message>
        <source>%1 파일이 없어졌습니다(%2). 이 폴더에 기록이 있었으므로 빈 기록을 새로 만들지 않았습니다.</source>
        <translation>%1 file is gone (%2). A journal was kept in this folder, so an empty one was not created in its place.</translation>
    </message>
    <message>
        <source>%1 파일에 쓸 수 없습니다(%2): 파일이나 폴더가 읽기 전용입니다.</source>
        <translation>%1 file cannot be written (%2): the file or its folder is read-only.</translation>
    </message>
    <message>
        <source>디스크 공간이 모자라 %1 파일에 쓸 수 없습니다(%2).</source>
        <translation>%1 file cannot be written (%2): the disk is full.</translation>
    </message>
    <message>
        <source>다른 프로그램이 %1 파일을 잠그고 있습니다(%2).</source>
        <translation>%1 file is locked by another program (%2).</translation>
    </message>
    <message>
        <source>%1 파일을 읽거나 쓰지 못했습니다(%2).</source>
        <translation>%1 file could not be read or written (%2).</translation>
    </message>
    <message>
        <source>손상된 파일은 지우지 않고 %1 로 옮겨 두었습니다.</source>
        <translation>The damaged file was moved, not deleted, to %1.</translation>
    </message>
    <message>
        <source>결제는 하지 않았습니다. 백업에서 되살리려면 프로그램을 닫으세요. 새 기록으로 시작할까요? 옛 파일은 그대로 남습니다.</source>
        <translation>Nothing was charged. To restore it from a backup, quit. Start a new journal? The old file stays where it is.</translation>
    </message>
    <message>
        <source>결제는 하지 않았습니다. 문제를 해결한 뒤 다시 시도하거나 프로그램을 닫으세요.</source>
        <translation>Nothing was charged. Fix the problem, then try again, or quit.</translation>
    </message>
    <message>
        <source>거래 기록 문제</source>
        <translation>Journal problem</translation>
    </message>
    <message>
        <source>새 기록으로 시작</source>
        <translation>Start a new journal</translation>
    </message>
    <message>
        <source>다시 시도</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>종료</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>won</name>
    <message>
        <source>%1원</source>
        <translation>KRW %1</translation>
    </message>
</context>
</TS>
