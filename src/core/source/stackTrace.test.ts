import { strict as assert } from 'node:assert';
import { parseStackTrace, type StackFrame } from './stackTrace';

interface Case {
  name: string;
  text: string;
  want: StackFrame[];
}

/** Builders keep the tables short; every field is still written out per frame. */
const node = (
  file: string,
  line: number | undefined,
  column: number | undefined,
  fn: string | undefined,
  library: boolean,
): StackFrame => {
  const f: StackFrame = { file, language: 'node', library };
  if (line !== undefined) f.line = line;
  if (column !== undefined) f.column = column;
  if (fn !== undefined) f.functionName = fn;
  return f;
};

const withLine = (
  language: StackFrame['language'],
  file: string,
  line: number | undefined,
  fn: string | undefined,
  library: boolean,
  suffixHint?: string,
): StackFrame => {
  const f: StackFrame = { file, language, library };
  if (line !== undefined) f.line = line;
  if (fn !== undefined) f.functionName = fn;
  if (suffixHint !== undefined) f.suffixHint = suffixHint;
  return f;
};

const cases: Case[] = [
  // --- Node / TypeScript ---
  {
    name: 'node: fixture SMTP error, three user frames',
    text: [
      'Error: SMTP 451 temporary failure',
      '    at SmtpClient.send (/app/src/clients/SmtpClient.ts:61:13)',
      '    at NotifyNode.send (/app/src/nodes/NotifyNode.ts:14:22)',
      '    at WorkflowRunner.execute (/app/src/engine/WorkflowRunner.ts:57:9)',
    ].join('\n'),
    want: [
      node('/app/src/clients/SmtpClient.ts', 61, 13, 'SmtpClient.send', false),
      node('/app/src/nodes/NotifyNode.ts', 14, 22, 'NotifyNode.send', false),
      node('/app/src/engine/WorkflowRunner.ts', 57, 9, 'WorkflowRunner.execute', false),
    ],
  },
  {
    name: 'node: express with node_modules, node:internal, async and built-in frames',
    text: [
      "TypeError: Cannot read properties of undefined (reading 'id')",
      '    at OrderController.create (/app/dist/controllers/OrderController.js:42:31)',
      '    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)',
      '    at next (/app/node_modules/express/lib/router/route.js:149:13)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at async Promise.all (index 0)',
      '    at async OrderService.placeAll (/app/dist/services/OrderService.js:77:5)',
    ].join('\n'),
    want: [
      node('/app/dist/controllers/OrderController.js', 42, 31, 'OrderController.create', false),
      node('/app/node_modules/express/lib/router/layer.js', 95, 5, 'Layer.handle', true),
      node('/app/node_modules/express/lib/router/route.js', 149, 13, 'next', true),
      node('node:internal/process/task_queues', 95, 5, 'process.processTicksAndRejections', true),
      node('', undefined, undefined, 'Promise.all', true),
      node('/app/dist/services/OrderService.js', 77, 5, 'OrderService.placeAll', false),
    ],
  },
  {
    name: 'node: file URLs, webpack URLs, old built-ins and a Windows path without a function',
    text: [
      'Error: pipeline stalled',
      '    at file:///srv/app/src/index.mjs:12:9',
      '    at new Pipeline (webpack:///./src/pipeline/Pipeline.ts:30:11)',
      '    at Object.<anonymous> (webpack://checkout/./src/main.ts:8:1)',
      '    at __webpack_require__ (webpack:///webpack/bootstrap:19:1)',
      '    at Module._compile (node:internal/modules/cjs/loader:1376:14)',
      '    at emitOne (events.js:116:13)',
      '    at C:\\build\\agent\\src\\worker.js:5:3',
    ].join('\r\n'),
    want: [
      node('file:///srv/app/src/index.mjs', 12, 9, undefined, false),
      node('webpack:///./src/pipeline/Pipeline.ts', 30, 11, 'Pipeline', false),
      node('webpack://checkout/./src/main.ts', 8, 1, 'Object.<anonymous>', false),
      node('webpack:///webpack/bootstrap', 19, 1, '__webpack_require__', true),
      node('node:internal/modules/cjs/loader', 1376, 14, 'Module._compile', true),
      node('events.js', 116, 13, 'emitOne', true),
      node('C:\\build\\agent\\src\\worker.js', 5, 3, undefined, false),
    ],
  },
  {
    name: 'node: eval frame, native frame, and a last line cut off by Tempo truncation',
    text: [
      'ReferenceError: total is not defined',
      '    at eval (eval at compileRule (/app/src/rules/engine.ts:20:10), <anonymous>:1:1)',
      '    at Array.map (<anonymous>)',
      '    at RuleEngine.apply (/app/src/rules/engine.ts:34:18)',
      '    at WorkflowRunner.execute (/app/src/engine/Workfl',
    ].join('\n'),
    want: [
      node('/app/src/rules/engine.ts', 20, 10, 'eval', false),
      node('', undefined, undefined, 'Array.map', true),
      node('/app/src/rules/engine.ts', 34, 18, 'RuleEngine.apply', false),
    ],
  },
  {
    name: 'node: a cut-off line that still ends in digits is not a frame',
    text: '    at SmtpClient.send (/app/src/clients/SmtpClient.ts:6',
    want: [],
  },

  // --- Java / Kotlin ---
  {
    name: 'java: Spring controller, reflection and framework frames, "... more"',
    text: [
      'java.lang.IllegalStateException: inventory unavailable',
      '\tat com.acme.orders.InventoryClient.reserve(InventoryClient.java:88)',
      '\tat com.acme.orders.OrderService.place(OrderService.java:42)',
      '\tat com.acme.orders.web.OrderController.create(OrderController.java:27)',
      '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
      '\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)',
      '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)',
      '\t... 48 more',
    ].join('\n'),
    want: [
      withLine(
        'java',
        'InventoryClient.java',
        88,
        'com.acme.orders.InventoryClient.reserve',
        false,
        'com/acme/orders/InventoryClient.java',
      ),
      withLine(
        'java',
        'OrderService.java',
        42,
        'com.acme.orders.OrderService.place',
        false,
        'com/acme/orders/OrderService.java',
      ),
      withLine(
        'java',
        'OrderController.java',
        27,
        'com.acme.orders.web.OrderController.create',
        false,
        'com/acme/orders/web/OrderController.java',
      ),
      withLine(
        'java',
        'DirectMethodHandleAccessor.java',
        103,
        'jdk.internal.reflect.DirectMethodHandleAccessor.invoke',
        true,
        'jdk/internal/reflect/DirectMethodHandleAccessor.java',
      ),
      withLine(
        'java',
        'Method.java',
        580,
        'java.lang.reflect.Method.invoke',
        true,
        'java/lang/reflect/Method.java',
      ),
      withLine(
        'java',
        'InvocableHandlerMethod.java',
        255,
        'org.springframework.web.method.support.InvocableHandlerMethod.doInvoke',
        true,
        'org/springframework/web/method/support/InvocableHandlerMethod.java',
      ),
    ],
  },
  {
    name: 'kotlin: coroutines, Logback packaging data, Caused by',
    text: [
      'com.acme.billing.PaymentDeclined: card declined',
      '\tat com.acme.billing.StripeGateway.charge(StripeGateway.kt:57) ~[main/:na]',
      '\tat com.acme.billing.BillingService$chargeAsync$1.invokeSuspend(BillingService.kt:31) ~[main/:na]',
      '\tat kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33) ~[kotlin-stdlib-1.9.22.jar:1.9.22]',
      '\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108) ~[kotlinx-coroutines-core-jvm-1.7.3.jar:na]',
      'Caused by: java.net.SocketTimeoutException: Read timed out',
      '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
      '\tat com.acme.billing.http.HttpTransport.send(HttpTransport.kt:19)',
      '\t... 4 common frames omitted',
    ].join('\n'),
    want: [
      withLine(
        'java',
        'StripeGateway.kt',
        57,
        'com.acme.billing.StripeGateway.charge',
        false,
        'com/acme/billing/StripeGateway.kt',
      ),
      withLine(
        'java',
        'BillingService.kt',
        31,
        'com.acme.billing.BillingService$chargeAsync$1.invokeSuspend',
        false,
        'com/acme/billing/BillingService.kt',
      ),
      withLine(
        'java',
        'ContinuationImpl.kt',
        33,
        'kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith',
        true,
        'kotlin/coroutines/jvm/internal/ContinuationImpl.kt',
      ),
      withLine(
        'java',
        'DispatchedTask.kt',
        108,
        'kotlinx.coroutines.DispatchedTask.run',
        true,
        'kotlinx/coroutines/DispatchedTask.kt',
      ),
      withLine(
        'java',
        'NioSocketImpl.java',
        288,
        'sun.nio.ch.NioSocketImpl.timedRead',
        true,
        'sun/nio/ch/NioSocketImpl.java',
      ),
      withLine(
        'java',
        'HttpTransport.kt',
        19,
        'com.acme.billing.http.HttpTransport.send',
        false,
        'com/acme/billing/http/HttpTransport.kt',
      ),
    ],
  },
  {
    name: 'java: native method, unknown source, inner-class lambda, default package, class-loader prefix',
    text: [
      'Exception in thread "main" java.lang.NullPointerException',
      '\tat java.base/jdk.internal.misc.Unsafe.park(Native Method)',
      '\tat com.acme.jobs.Scheduler$Worker.lambda$run$0(Scheduler.java:112)',
      '\tat com.acme.jobs.Generated.call(Unknown Source)',
      '\tat Main.main(Main.java:9)',
      '\tat app//com.acme.jobs.Boot.start(Boot.java:20)',
    ].join('\n'),
    want: [
      withLine('java', '', undefined, 'jdk.internal.misc.Unsafe.park', true),
      withLine(
        'java',
        'Scheduler.java',
        112,
        'com.acme.jobs.Scheduler$Worker.lambda$run$0',
        false,
        'com/acme/jobs/Scheduler.java',
      ),
      withLine('java', '', undefined, 'com.acme.jobs.Generated.call', false),
      withLine('java', 'Main.java', 9, 'Main.main', false),
      withLine('java', 'Boot.java', 20, 'com.acme.jobs.Boot.start', false, 'com/acme/jobs/Boot.java'),
    ],
  },

  // --- Python (printed oldest call first; frames come back innermost first) ---
  {
    name: 'python: Flask handler, site-packages frame, source lines',
    text: [
      'Traceback (most recent call last):',
      '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 1473, in wsgi_app',
      '    response = self.full_dispatch_request()',
      '  File "/app/svc/handlers.py", line 88, in handle',
      '    order = repo.load(order_id)',
      '  File "/app/svc/repo.py", line 31, in load',
      '    raise KeyError(order_id)',
      "KeyError: 'o-123'",
    ].join('\n'),
    want: [
      withLine('python', '/app/svc/repo.py', 31, 'load', false),
      withLine('python', '/app/svc/handlers.py', 88, 'handle', false),
      withLine('python', '/usr/local/lib/python3.12/site-packages/flask/app.py', 1473, 'wsgi_app', true),
    ],
  },
  {
    name: 'python: chained tracebacks, 3.11 carets, dist-packages, stdlib and frozen frames',
    text: [
      'Traceback (most recent call last):',
      '  File "/srv/worker/tasks.py", line 14, in fetch',
      '    return client.get(url, timeout=2)',
      '           ^^^^^^^^^^^^^^^^^^^^^^^^^^',
      '  File "/usr/lib/python3/dist-packages/requests/api.py", line 73, in get',
      '    return request("get", url, params=params, **kwargs)',
      'requests.exceptions.ReadTimeout: timed out',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "<frozen runpy>", line 198, in _run_module_as_main',
      '  File "/srv/worker/main.py", line 40, in <module>',
      '    run()',
      '  File "/usr/lib/python3.11/asyncio/runners.py", line 190, in run',
      '    return runner.run(main)',
      '  File "/srv/worker/tasks.py", line 17, in fetch',
      '    raise RetryLater() from None',
      'tasks.RetryLater',
    ].join('\n'),
    want: [
      withLine('python', '/usr/lib/python3/dist-packages/requests/api.py', 73, 'get', true),
      withLine('python', '/srv/worker/tasks.py', 14, 'fetch', false),
      withLine('python', '/srv/worker/tasks.py', 17, 'fetch', false),
      withLine('python', '/usr/lib/python3.11/asyncio/runners.py', 190, 'run', true),
      withLine('python', '/srv/worker/main.py', 40, '<module>', false),
      withLine('python', '<frozen runpy>', 198, '_run_module_as_main', true),
    ],
  },
  {
    name: 'python: Django on Windows',
    text: [
      'Traceback (most recent call last):',
      '  File "C:\\Users\\dev\\venv\\Lib\\site-packages\\django\\core\\handlers\\exception.py", line 55, in inner',
      '    response = get_response(request)',
      '  File "C:\\work\\shop\\orders\\views.py", line 23, in checkout',
      '    total = cart.total()',
      '  File "C:\\work\\shop\\orders\\models.py", line 61, in total',
      '    return sum(i.price for i in self.items)',
      "TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'",
    ].join('\r\n'),
    want: [
      withLine('python', 'C:\\work\\shop\\orders\\models.py', 61, 'total', false),
      withLine('python', 'C:\\work\\shop\\orders\\views.py', 23, 'checkout', false),
      withLine(
        'python',
        'C:\\Users\\dev\\venv\\Lib\\site-packages\\django\\core\\handlers\\exception.py',
        55,
        'inner',
        true,
      ),
    ],
  },

  // --- Go ---
  {
    name: 'go: nil pointer panic with created-by',
    text: [
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b5ee0]',
      '',
      'goroutine 42 [running]:',
      'github.com/acme/fetcher/internal/fetch.(*Client).Do(0x0, {0x7ffd, 0x10})',
      '\t/app/internal/fetch/client.go:123 +0x1d',
      'github.com/acme/fetcher/internal/worker.(*Pool).run(0xc000120000)',
      '\t/app/internal/worker/pool.go:58 +0x8c',
      'created by github.com/acme/fetcher/internal/worker.New in goroutine 1',
      '\t/app/internal/worker/pool.go:31 +0x1b6',
    ].join('\n'),
    want: [
      withLine(
        'go',
        '/app/internal/fetch/client.go',
        123,
        'github.com/acme/fetcher/internal/fetch.(*Client).Do',
        false,
      ),
      withLine(
        'go',
        '/app/internal/worker/pool.go',
        58,
        'github.com/acme/fetcher/internal/worker.(*Pool).run',
        false,
      ),
      withLine(
        'go',
        '/app/internal/worker/pool.go',
        31,
        'github.com/acme/fetcher/internal/worker.New',
        false,
      ),
    ],
  },
  {
    name: 'go: debug.Stack from the OTel SDK, GOROOT and module cache frames',
    text: [
      'goroutine 7 [running]:',
      'runtime/debug.Stack()',
      '\t/usr/local/go/src/runtime/debug/stack.go:24 +0x5e',
      'go.opentelemetry.io/otel/sdk/trace.recordStackTrace()',
      '\t/go/pkg/mod/go.opentelemetry.io/otel/sdk@v1.24.0/trace/span.go:479 +0x18',
      'main.handleOrder({0x9e3a40, 0xc0001b2000}, 0xc0001a4100)',
      '\t/src/cmd/api/main.go:88 +0x2f4',
      'net/http.HandlerFunc.ServeHTTP(0x9e3a40?, {0x9e3a40?, 0xc0001b2000?}, 0xc0001b2000?)',
      '\t/usr/local/go/src/net/http/server.go:2166 +0x29',
    ].join('\n'),
    want: [
      withLine('go', '/usr/local/go/src/runtime/debug/stack.go', 24, 'runtime/debug.Stack', true),
      withLine(
        'go',
        '/go/pkg/mod/go.opentelemetry.io/otel/sdk@v1.24.0/trace/span.go',
        479,
        'go.opentelemetry.io/otel/sdk/trace.recordStackTrace',
        true,
      ),
      withLine('go', '/src/cmd/api/main.go', 88, 'main.handleOrder', false),
      withLine('go', '/usr/local/go/src/net/http/server.go', 2166, 'net/http.HandlerFunc.ServeHTTP', true),
    ],
  },
  {
    name: 'go: -trimpath paths, inlined frame without pc offset',
    text: [
      'goroutine 1 [running]:',
      'github.com/spf13/cobra.(*Command).execute(0xc00012a000, {0xc000010050, 0x2, 0x2})',
      '\tgithub.com/spf13/cobra@v1.8.0/command.go:983 +0xabc',
      'github.com/acme/cli/cmd.Execute(...)',
      '\tgithub.com/acme/cli/cmd/root.go:40',
      'main.main()',
      '\tgithub.com/acme/cli/main.go:15 +0x25',
      'runtime.main()',
      '\truntime/proc.go:271 +0x29d',
    ].join('\n'),
    want: [
      withLine(
        'go',
        'github.com/spf13/cobra@v1.8.0/command.go',
        983,
        'github.com/spf13/cobra.(*Command).execute',
        true,
      ),
      withLine('go', 'github.com/acme/cli/cmd/root.go', 40, 'github.com/acme/cli/cmd.Execute', false),
      withLine('go', 'github.com/acme/cli/main.go', 15, 'main.main', false),
      withLine('go', 'runtime/proc.go', 271, 'runtime.main', true),
    ],
  },

  // --- .NET ---
  {
    name: '.NET: controller and service with files, framework frame without file',
    text: [
      'System.InvalidOperationException: Order already placed',
      '   at Acme.Orders.Service.Place(Order o) in /src/Acme/Service.cs:line 57',
      '   at Acme.Orders.Api.OrdersController.Post(OrderDto dto) in /src/Acme.Api/Controllers/OrdersController.cs:line 31',
      '   at lambda_method12(Closure, Object, Object[])',
      '   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.SyncActionResultExecutor.Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)',
    ].join('\n'),
    want: [
      withLine('dotnet', '/src/Acme/Service.cs', 57, 'Acme.Orders.Service.Place', false),
      withLine(
        'dotnet',
        '/src/Acme.Api/Controllers/OrdersController.cs',
        31,
        'Acme.Orders.Api.OrdersController.Post',
        false,
      ),
      withLine('dotnet', '', undefined, 'lambda_method12', false),
      withLine(
        'dotnet',
        '',
        undefined,
        'Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.SyncActionResultExecutor.Execute',
        true,
      ),
    ],
  },
  {
    name: '.NET: async state machines on a Windows build agent',
    text: [
      'System.Net.Http.HttpRequestException: Response status code does not indicate success: 503 (Service Unavailable).',
      '   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()',
      '   at Acme.Payments.Gateway.StripeClient.<ChargeAsync>d__7.MoveNext() in C:\\agent\\_work\\1\\s\\src\\Payments\\StripeClient.cs:line 112',
      '--- End of stack trace from previous location ---',
      '   at Acme.Payments.PaymentService.<PayAsync>d__3.MoveNext() in C:\\agent\\_work\\1\\s\\src\\Payments\\PaymentService.cs:line 45',
      '   at System.Threading.Tasks.Task.Wait()',
    ].join('\r\n'),
    want: [
      withLine('dotnet', '', undefined, 'System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode', true),
      withLine(
        'dotnet',
        'C:\\agent\\_work\\1\\s\\src\\Payments\\StripeClient.cs',
        112,
        'Acme.Payments.Gateway.StripeClient.ChargeAsync',
        false,
      ),
      withLine(
        'dotnet',
        'C:\\agent\\_work\\1\\s\\src\\Payments\\PaymentService.cs',
        45,
        'Acme.Payments.PaymentService.PayAsync',
        false,
      ),
      withLine('dotnet', '', undefined, 'System.Threading.Tasks.Task.Wait', true),
    ],
  },
  {
    name: '.NET: generics, a release build without PDB',
    text: [
      "Unhandled exception. System.ArgumentNullException: Value cannot be null. (Parameter 'sku')",
      '   at System.ArgumentNullException.Throw(String paramName)',
      '   at Acme.Inventory.Repository`1.Get(String sku) in /build/src/Inventory/Repository.cs:line 19',
      '   at Acme.Inventory.StockService.Reserve[TItem](TItem item, Int32 count) in /build/src/Inventory/StockService.cs:line 40',
      '   at Acme.Inventory.Program.Main(String[] args)',
    ].join('\n'),
    want: [
      withLine('dotnet', '', undefined, 'System.ArgumentNullException.Throw', true),
      withLine('dotnet', '/build/src/Inventory/Repository.cs', 19, 'Acme.Inventory.Repository`1.Get', false),
      withLine(
        'dotnet',
        '/build/src/Inventory/StockService.cs',
        40,
        'Acme.Inventory.StockService.Reserve[TItem]',
        false,
      ),
      withLine('dotnet', '', undefined, 'Acme.Inventory.Program.Main', false),
    ],
  },

  // --- Ruby ---
  {
    name: 'ruby: Rails model, gem and stdlib frames (3.4 quotes)',
    text: [
      "/app/app/models/user.rb:12:in 'save': Validation failed (ActiveRecord::RecordInvalid)",
      "\tfrom /usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/transactions.rb:365:in 'block in save'",
      "\tfrom /app/app/controllers/users_controller.rb:8:in 'create'",
      "\tfrom /usr/local/lib/ruby/3.3.0/benchmark.rb:311:in 'realtime'",
    ].join('\n'),
    want: [
      withLine('ruby', '/app/app/models/user.rb', 12, 'save', false),
      withLine(
        'ruby',
        '/usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/transactions.rb',
        365,
        'save',
        true,
      ),
      withLine('ruby', '/app/app/controllers/users_controller.rb', 8, 'create', false),
      withLine('ruby', '/usr/local/lib/ruby/3.3.0/benchmark.rb', 311, 'realtime', true),
    ],
  },
  {
    name: 'ruby: backtick form, relative paths from a cleaned backtrace, sidekiq gem, internal frame',
    text: [
      "app/services/checkout.rb:44:in `charge!'",
      "app/services/checkout.rb:20:in `block (2 levels) in call'",
      "/var/lib/gems/3.0.0/gems/sidekiq-7.2.0/lib/sidekiq/processor.rb:202:in `execute_job'",
      "<internal:kernel>:187:in `loop'",
    ].join('\n'),
    want: [
      withLine('ruby', 'app/services/checkout.rb', 44, 'charge!', false),
      withLine('ruby', 'app/services/checkout.rb', 20, 'call', false),
      withLine(
        'ruby',
        '/var/lib/gems/3.0.0/gems/sidekiq-7.2.0/lib/sidekiq/processor.rb',
        202,
        'execute_job',
        true,
      ),
      withLine('ruby', '<internal:kernel>', 187, 'loop', true),
    ],
  },
  {
    name: 'ruby: 3.4 qualified method names, vendored bundle',
    text: [
      "/srv/api/lib/billing/invoice.rb:77:in 'Billing::Invoice#total': undefined method '+' for nil (NoMethodError)",
      "\tfrom /srv/api/lib/billing/invoice.rb:30:in 'Array#each'",
      "\tfrom /srv/api/vendor/bundle/ruby/3.4.0/gems/rack-3.1.8/lib/rack/builder.rb:277:in 'Rack::Builder#call'",
    ].join('\n'),
    want: [
      withLine('ruby', '/srv/api/lib/billing/invoice.rb', 77, 'Billing::Invoice#total', false),
      withLine('ruby', '/srv/api/lib/billing/invoice.rb', 30, 'Array#each', false),
      withLine(
        'ruby',
        '/srv/api/vendor/bundle/ruby/3.4.0/gems/rack-3.1.8/lib/rack/builder.rb',
        277,
        'Rack::Builder#call',
        true,
      ),
    ],
  },

  // --- PHP (a frame's function is the callee named on the next frame out) ---
  {
    name: 'php: uncaught exception in Symfony, header and "thrown in" footer',
    text: [
      'PHP Fatal error:  Uncaught RuntimeException: payment gateway timeout in /var/www/src/Payment/Gateway.php:27',
      'Stack trace:',
      '#0 /var/www/src/Controller/CheckoutController.php(42): App\\Payment\\Gateway->charge(Object(App\\Entity\\Order))',
      '#1 /var/www/vendor/symfony/http-kernel/HttpKernel.php(181): App\\Controller\\CheckoutController->submit(Object(Symfony\\Component\\HttpFoundation\\Request))',
      '#2 /var/www/public/index.php(20): Symfony\\Component\\HttpKernel\\HttpKernel->handle(Object(Symfony\\Component\\HttpFoundation\\Request))',
      '#3 {main}',
      '  thrown in /var/www/src/Payment/Gateway.php on line 27',
    ].join('\n'),
    want: [
      withLine('php', '/var/www/src/Payment/Gateway.php', 27, 'App\\Payment\\Gateway->charge', false),
      withLine(
        'php',
        '/var/www/src/Controller/CheckoutController.php',
        42,
        'App\\Controller\\CheckoutController->submit',
        false,
      ),
      withLine(
        'php',
        '/var/www/vendor/symfony/http-kernel/HttpKernel.php',
        181,
        'Symfony\\Component\\HttpKernel\\HttpKernel->handle',
        true,
      ),
      withLine('php', '/var/www/public/index.php', 20, undefined, false),
    ],
  },
  {
    name: 'php: Laravel job with an internal-function frame and vendor frames',
    text: [
      '#0 [internal function]: App\\Jobs\\SendInvoice->handle(Object(Illuminate\\Mail\\Mailer))',
      '#1 /var/www/html/vendor/laravel/framework/src/Illuminate/Container/BoundMethod.php(36): call_user_func_array(Array, Array)',
      '#2 /var/www/html/app/Console/Commands/Resend.php(31): Illuminate\\Container\\BoundMethod::call(Object(Illuminate\\Foundation\\Application), Array)',
      '#3 {main}',
    ].join('\n'),
    want: [
      withLine('php', '', undefined, 'call_user_func_array', true),
      withLine(
        'php',
        '/var/www/html/vendor/laravel/framework/src/Illuminate/Container/BoundMethod.php',
        36,
        'Illuminate\\Container\\BoundMethod::call',
        true,
      ),
      withLine('php', '/var/www/html/app/Console/Commands/Resend.php', 31, undefined, false),
    ],
  },
  {
    name: 'php: Windows XAMPP fatal error, and a warning "on line" in a second log line',
    text: [
      'Fatal error: Uncaught Error: Call to undefined function mb_strlen() in C:\\xampp\\htdocs\\shop\\src\\Util\\Text.php:14',
      'Stack trace:',
      "#0 C:\\xampp\\htdocs\\shop\\src\\Service\\Slug.php(9): App\\Util\\Text::length('Hello')",
      '#1 {main}',
      '  thrown in C:\\xampp\\htdocs\\shop\\src\\Util\\Text.php on line 14',
      'PHP Warning:  Undefined variable $total in /var/www/src/Cart.php on line 88',
    ].join('\n'),
    want: [
      withLine('php', 'C:\\xampp\\htdocs\\shop\\src\\Util\\Text.php', 14, 'App\\Util\\Text::length', false),
      withLine('php', 'C:\\xampp\\htdocs\\shop\\src\\Service\\Slug.php', 9, undefined, false),
      withLine('php', '/var/www/src/Cart.php', 88, undefined, false),
    ],
  },

  // --- mixed and degenerate input ---
  {
    name: 'mixed: a Node error whose message carries a Go trace, detected per line',
    text: [
      'Error: upstream failed: goroutine 9 [running]:',
      'main.fetch()',
      '\t/srv/upstream/main.go:12 +0x1d',
      '    at Upstream.call (/app/src/clients/Upstream.ts:20:7)',
    ].join('\n'),
    want: [
      withLine('go', '/srv/upstream/main.go', 12, 'main.fetch', false),
      node('/app/src/clients/Upstream.ts', 20, 7, 'Upstream.call', false),
    ],
  },
  {
    name: 'a line longer than 4096 characters is skipped, the frames around it are kept',
    text: [
      '    at SmtpClient.send (/app/src/clients/SmtpClient.ts:61:13)',
      `    at X.y (/app/${'a/'.repeat(2100)}x.ts:1:1)`,
      '    at NotifyNode.send (/app/src/nodes/NotifyNode.ts:14:22)',
    ].join('\n'),
    want: [
      node('/app/src/clients/SmtpClient.ts', 61, 13, 'SmtpClient.send', false),
      node('/app/src/nodes/NotifyNode.ts', 14, 22, 'NotifyNode.send', false),
    ],
  },
  { name: 'empty text', text: '', want: [] },
  { name: 'a message with no frames', text: 'Error: connection refused\nretrying in 5s', want: [] },
];

describe('parseStackTrace', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(parseStackTrace(c.text), c.want);
    });
  }

  it('detects the language of each frame', () => {
    const langs = cases.flatMap((c) => parseStackTrace(c.text).map((f) => f.language));
    assert.deepEqual([...new Set(langs)].sort(), ['dotnet', 'go', 'java', 'node', 'php', 'python', 'ruby']);
  });
});
